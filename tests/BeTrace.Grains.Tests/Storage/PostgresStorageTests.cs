using BeTrace.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Messaging;
using BeTrace.Grains.Tests;
using BeTrace.Testing;

namespace BeTrace.Grains.Tests.Storage;

/// <summary>Cluster mode: membership and grain storage in a real PostgreSQL server (one database per test).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStorageTests(PostgresServer server)
{
    private const int Active = 3;

    private async Task<StorageOptions> NewDatabaseAsync() => new()
    {
        Mode = StorageMode.Postgres,
        PostgresConnectionString = await server.CreateDatabaseAsync("storage"),
        ClusterId = "betrace-pg-tests",
        ServiceId = "betrace-pg-tests",
    };

    [Fact]
    public async Task Schema_scripts_are_idempotent_and_survive_concurrent_installers()
    {
        var options = await NewDatabaseAsync();

        // Silos starting at the same moment on an empty database.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SchemaInstaller.InstallAsync(options))));
        await ExecuteAsync(options, """
            INSERT INTO betrace_grain_state
                (service_id, grain_type, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1, grain_id_ext, payload, version)
            VALUES ('s', 't', 1, 2, 0, 0, NULL, '\x01', 7)
            """);
        await SchemaInstaller.InstallAsync(options);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => SchemaInstaller.InstallAsync(options))));

        var keys = await ScalarAsync(options, "SELECT string_agg(querykey, ',' ORDER BY querykey) FROM orleansquery");
        Assert.Equal(
            "CleanupDefunctSiloEntriesKey,ClearStorageKey,DeleteMembershipTableEntriesKey,DeleteStorageKey,"
            + "GatewaysQueryKey,InsertMembershipKey,InsertMembershipVersionKey,MembershipReadAllKey,MembershipReadRowKey,"
            + "ReadFromStorageKey,UpdateIAmAlivetimeKey,UpdateMembershipKey,WriteToStorageKey",
            keys);
        Assert.Equal(7, await ScalarAsync(options, "SELECT version FROM betrace_grain_state"));
        Assert.Equal(1L, await ScalarAsync(options, "SELECT count(*) FROM betrace_grain_state"));

        // NULL key extensions are one key: a second row for the same grain is rejected by the unique index.
        var duplicate = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(options, """
            INSERT INTO betrace_grain_state
                (service_id, grain_type, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1, grain_id_ext, payload, version)
            VALUES ('s', 't', 1, 2, 0, 0, NULL, NULL, 1)
            """));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicate.SqlState);
    }

    [Fact]
    public async Task Grain_state_survives_a_full_cluster_restart()
    {
        var options = await NewDatabaseAsync();
        await using (var first = await StorageTestClusters.DeployPostgresAsync(options, silos: 1))
        {
            var grain = first.Client.GetGrain<IStorageProbeGrain>("tenant-a/rules");
            await grain.Save("one", 1);
            await grain.Save("two", 2);
            await first.Client.GetGrain<IStorageProbeGrain>("to-be-cleared").Save("gone", 9);
            await first.Client.GetGrain<IStorageProbeGrain>("to-be-cleared").Clear();
            await first.StopAllSilosAsync();
        }

        await using var second = await StorageTestClusters.DeployPostgresAsync(options, silos: 1);
        var states = await second.Client.GetGrain<IStorageProbeGrain>("tenant-a/rules").Load();
        Assert.Equal(2, states.Length);
        Assert.All(states, state =>
        {
            Assert.Equal("two", state.Text);
            Assert.Equal(2, state.Count);
            Assert.Equal(new[] { "one", "two" }, state.Items);
        });
        var cleared = await second.Client.GetGrain<IStorageProbeGrain>("to-be-cleared").Load();
        Assert.All(cleared, state => Assert.Equal("", state.Text));
        await second.Client.GetGrain<IStorageProbeGrain>("tenant-a/rules").Save("three", 3);

        await GrainStorageChecks.StaleWritesAreRefusedAsync(GrainStorageChecks.Provider(second, BeTraceStorage.Rules));
        await GrainStorageChecks.StaleWritesAreRefusedAsync(GrainStorageChecks.Provider(second, BeTraceStorage.Traces));
        await GrainStorageChecks.ClearDeletesTheRowAsync(
            GrainStorageChecks.Provider(second, StorageTestClusters.DeleteOnClearProvider));

        // The first cluster's silo left the membership table as Dead; only the new one is Active.
        Assert.Equal(1L, await ScalarAsync(options, $"SELECT count(*) FROM betrace_membership WHERE status = {Active}"));
        Assert.Equal(2L, await ScalarAsync(options, "SELECT count(*) FROM betrace_membership"));

        // Membership housekeeping: defunct (Dead) entries go, the live one stays.
        var membership = second.Silos[0].ServiceProvider.GetRequiredService<IMembershipTable>();
        await membership.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);
        Assert.Equal(1L, await ScalarAsync(options, "SELECT count(*) FROM betrace_membership"));

        // Deleting another deployment's entries leaves this one alone.
        await ExecuteAsync(options, """
            INSERT INTO betrace_membership_version (deployment_id) VALUES ('other');
            INSERT INTO betrace_membership (deployment_id, address, port, generation, host_name, status, proxy_port, start_time, i_am_alive_time)
            VALUES ('other', '10.0.0.1', 11111, 1, 'h', 3, 30000, now(), now());
            """);
        await membership.DeleteMembershipTableEntriesAsync("other", CancellationToken.None);
        Assert.Equal(0L, await ScalarAsync(options, "SELECT count(*) FROM betrace_membership_version WHERE deployment_id = 'other'"));
        Assert.Equal(1L, await ScalarAsync(options, "SELECT count(*) FROM betrace_membership"));
        Assert.Equal(1L, await ScalarAsync(options, "SELECT count(*) FROM betrace_membership_version"));
        await second.StopAllSilosAsync();
    }

    [Fact]
    public async Task Two_silos_form_a_cluster_through_the_membership_table_and_the_client_finds_their_gateways()
    {
        var options = await NewDatabaseAsync();
        await using var cluster = await StorageTestClusters.DeployPostgresAsync(options, silos: 2);

        Assert.All(cluster.Silos, silo => Assert.Contains(
            "AdoNet", silo.ServiceProvider.GetRequiredService<IMembershipTable>().GetType().Name, StringComparison.Ordinal));

        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        var hosts = await WaitForAsync(
            () => management.GetHosts(onlyActive: true), active => active.Count == 2, TimeSpan.FromSeconds(60));
        Assert.Equal(2, hosts.Count);
        Assert.Equal(
            cluster.Silos.Select(s => s.SiloAddress).OrderBy(a => a.ToString()),
            hosts.Keys.OrderBy(a => a.ToString()));

        // Both silos are Active rows of this deployment, each with a gateway port.
        Assert.Equal(2L, await ScalarAsync(options,
            $"SELECT count(*) FROM betrace_membership WHERE deployment_id = '{options.ClusterId}' AND status = {Active} AND proxy_port > 0"));

        // The client's gateway list comes from the database and names both silos' gateways.
        var gatewayList = cluster.Client.ServiceProvider.GetRequiredService<IGatewayListProvider>();
        Assert.Contains("AdoNet", gatewayList.GetType().Name, StringComparison.Ordinal);
        var gateways = await WaitForAsync(gatewayList.GetGateways, list => list.Count == 2, TimeSpan.FromSeconds(30));
        Assert.Equal(
            cluster.Silos.Select(s => s.GatewayAddress.Endpoint.Port).Order(),
            gateways.Select(uri => uri.Port).Order());

        // And grain calls work through it, with state in PostgreSQL.
        var grain = cluster.Client.GetGrain<IStorageProbeGrain>("via-gateway");
        await grain.Save("hello", 1);
        Assert.All(await grain.Load(), state => Assert.Equal("hello", state.Text));

        await cluster.StopAllSilosAsync();
        Assert.Equal(0L, await ScalarAsync(options, $"SELECT count(*) FROM betrace_membership WHERE status = {Active}"));
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var value = await probe();
            if (done(value) || deadline.IsCancellationRequested)
            {
                return value;
            }

            await Task.Delay(250, CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(StorageOptions options, string sql)
    {
        await using var connection = new NpgsqlConnection(options.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(StorageOptions options, string sql)
    {
        await using var connection = new NpgsqlConnection(options.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
