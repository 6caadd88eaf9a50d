using System.Text.Json;
using BeTrace.Grains.Interfaces.Operations;
using BeTrace.Silo.Storage;
using BeTrace.Testing;

namespace BeTrace.Console.Tests;

/// <summary>`betrace cluster status` against two silo processes that form one cluster through a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterStatusTests(PostgresServer postgres)
{
    [Fact]
    public async Task Status_shows_both_silos_their_activations_and_the_rule_version_each_holds()
    {
        var connection = await postgres.CreateDatabaseAsync("console");
        var clusterId = "c" + Guid.NewGuid().ToString("N")[..8];
        string[] siloArguments = ["--cluster", "Postgres", "--postgres", connection, "--cluster-id", clusterId];
        await using var first = await SiloProcess.StartAsync(siloArguments);
        await using var second = await SiloProcess.StartAsync(siloArguments);
        await WaitForTwoActiveSilos(connection, clusterId);

        // The cluster is chosen by environment variables, as a script would; the cluster id on the command line.
        var environment = new Dictionary<string, string> { ["BETRACE_CLUSTER"] = "postgres", ["BETRACE_CONNECTION"] = connection };
        var added = BetraceProcess.RunWith(environment, null, "rules", "add", "--cluster-id", clusterId, "--tenant", "acme",
            "--id", "fraud", "--name", "Fraud", "--expr", "when { payment } always { fraud_check }");
        Assert.True(added.ExitCode == 0, added.ToString());

        // The registry pushes the new rule set to both silos right away; a missed push is caught by the silo's poll.
        var root = await StatusWhen(environment, clusterId, status => status.GetProperty("silos").EnumerateArray()
            .Count(s => s.GetProperty("rule_version").ValueKind == JsonValueKind.Number && s.GetProperty("rule_version").GetInt64() == 1) == 2);
        Assert.Equal(clusterId, root.GetProperty("cluster_id").GetString());
        Assert.Equal(1, root.GetProperty("registry_version").GetInt64());
        var silos = root.GetProperty("silos").EnumerateArray().Where(s => s.GetProperty("status").GetString() == "Active").ToList();
        Assert.Equal(2, silos.Count);
        Assert.All(silos, silo =>
        {
            Assert.Equal(1, silo.GetProperty("rule_version").GetInt64());
            Assert.Equal(1, silo.GetProperty("rule_versions").GetProperty("acme").GetInt64());
            Assert.Equal(JsonValueKind.Null, silo.GetProperty("error").ValueKind);
        });
        Assert.True(silos.Sum(s => s.GetProperty("activations").GetInt32()) >= 1);
        var grainTypes = root.GetProperty("grain_types").EnumerateArray().ToList();
        var registry = Assert.Single(grainTypes, t => t.GetProperty("grain_type").GetString()!.StartsWith("BeTrace.Grains.Rules.RuleRegistryGrain", StringComparison.Ordinal));
        Assert.Equal(1, registry.GetProperty("activations").GetInt32());

        var text = BetraceProcess.RunWith(environment, null, "cluster", "status", "--cluster-id", clusterId, "--tenant", "acme");
        Assert.True(text.ExitCode == 0, text.ToString());
        var lines = text.Stdout.Split('\n');
        Assert.Equal($"cluster '{clusterId}': 2 active of 2 silos; tenant 'acme' registry at version 1", lines[0]);
        Assert.StartsWith("SILO ", lines[2], StringComparison.Ordinal);
        Assert.Equal(2, lines.Count(line => line.StartsWith('S') && line.Contains("  Active  ", StringComparison.Ordinal) && line.Contains("acme=1", StringComparison.Ordinal)));
        Assert.Contains(lines, line => line.StartsWith("BeTrace.Grains.Rules.RuleRegistryGrain  ", StringComparison.Ordinal));
    }

    private static async Task<JsonElement> StatusWhen(Dictionary<string, string> environment, string clusterId, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var json = BetraceProcess.RunWith(environment, null, "cluster", "status", "--json", "--cluster-id", clusterId, "--tenant", "acme");
            Assert.True(json.ExitCode == 0, json.ToString());
            using var status = JsonDocument.Parse(json.Stdout);
            if (condition(status.RootElement))
            {
                return status.RootElement.Clone();
            }
            Assert.True(DateTime.UtcNow < deadline, $"the status did not show what was expected:\n{json.Stdout}");
            await Task.Delay(500);
        }
    }

    private static async Task WaitForTwoActiveSilos(string connection, string clusterId)
    {
        await using var client = await OrleansTestClient.ConnectAsync(builder => builder.UseBeTracePostgresClustering(new StorageOptions
        {
            Mode = StorageMode.Postgres,
            PostgresConnectionString = connection,
            ClusterId = clusterId,
        }));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var silos = await client.Client.GetGrain<IClusterStatusGrain>(0).Silos();
            if (silos.Count(s => s.Status == "Active" && s.Error is null) == 2)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"expected two active silos, saw: {string.Join(", ", silos.Select(s => $"{s.Silo} {s.Status} {s.Error}"))}");
            await Task.Delay(250);
        }
    }
}
