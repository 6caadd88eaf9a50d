using BeTrace.Grains.Interfaces.Operations;
using BeTrace.Grains.Interfaces.Rules;
using BeTrace.Silo.Storage;
using BeTrace.Grains.Tests;
using BeTrace.Testing;

namespace BeTrace.Grains.Tests.Processes;

/// <summary>
/// Silos in separate processes form one cluster through the PostgreSQL membership table, share the rules, and the
/// rules survive a full cluster restart. PostgreSQL is a real server started by the fixture.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresClusterProcessTests(PostgresServer postgres)
{
    private static string[] Arguments(string connection, string clusterId) =>
        ["--cluster", "Postgres", "--postgres", connection, "--cluster-id", clusterId];

    private static Task<OrleansTestClient> Connect(string connection, string clusterId) =>
        OrleansTestClient.ConnectAsync(client => client.UseBeTracePostgresClustering(new StorageOptions
        {
            Mode = StorageMode.Postgres,
            PostgresConnectionString = connection,
            ClusterId = clusterId,
        }));

    [Fact]
    public async Task Two_silo_processes_form_one_cluster_share_rules_and_keep_them_across_a_full_restart()
    {
        var connection = await postgres.CreateDatabaseAsync("cluster");
        var clusterId = "c" + Guid.NewGuid().ToString("N")[..8];

        await using (var first = await SiloProcess.StartAsync(Arguments(connection, clusterId)))
        await using (var second = await SiloProcess.StartAsync(Arguments(connection, clusterId)))
        {
            await using var client = await Connect(connection, clusterId);
            var silos = await WaitForSilos(client, 2);
            Assert.All(silos, silo => Assert.Equal("Active", silo.Status));

            var registry = client.Client.GetGrain<IRuleRegistryGrain>("acme");
            Assert.True((await registry.Create(new RuleDraft("fraud", "Fraud", "when { payment } always { fraud_check }"))).Succeeded);
            Assert.True((await registry.Create(new RuleDraft("audit", "Audit", "when { pii } always { audit }"))).Succeeded);

            // Both processes hold the new version right after the call (pushed), no poll needed.
            var status = await client.Client.GetGrain<IClusterStatusGrain>(0).Silos();
            Assert.Equal(2, status.Count(s => s.Status == "Active"));
            Assert.All(status.Where(s => s.Status == "Active"), s => Assert.Equal(2, s.RuleVersions["acme"]));
            await client.DisposeAsync();
            Assert.Equal(0, await second.StopAsync());
            Assert.Equal(0, await first.StopAsync());
        }

        await using (var restarted = await SiloProcess.StartAsync(Arguments(connection, clusterId)))
        {
            await using var client = await Connect(connection, clusterId);
            var rules = await client.Client.GetGrain<IRuleRegistryGrain>("acme").List();
            Assert.Equal(["audit", "fraud"], rules.Select(r => r.Id).ToArray());
            var status = await WaitForSilos(client, 1);
            Assert.Equal(2, status.Single(s => s.Status == "Active").RuleVersions["acme"]);
        }
    }

    private static async Task<SiloRuleVersions[]> WaitForSilos(OrleansTestClient client, int active)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var silos = await client.Client.GetGrain<IClusterStatusGrain>(0).Silos();
            if (silos.Count(s => s.Status == "Active") == active && silos.Where(s => s.Status == "Active").All(s => s.Error is null))
            {
                return silos.Where(s => s.Status == "Active").ToArray();
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"expected {active} active silos, saw: {string.Join(", ", silos.Select(s => $"{s.Silo} {s.Status} {s.Error}"))}");
            }
            await Task.Delay(250);
        }
    }
}
