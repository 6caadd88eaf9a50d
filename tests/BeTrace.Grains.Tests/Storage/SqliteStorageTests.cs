using BeTrace.Silo.Storage;
using Microsoft.Data.Sqlite;

namespace BeTrace.Grains.Tests.Storage;

/// <summary>Embedded mode: BeTrace grain storage in a SQLite file.</summary>
public sealed class SqliteStorageTests : IDisposable
{
    private readonly string _directory =
        Path.Combine(Path.GetTempPath(), $"betrace-sqlite-{Guid.NewGuid().ToString("N")[..12]}");

    private StorageOptions Options => new()
    {
        Mode = StorageMode.Sqlite,
        DataDirectory = Path.Combine(_directory, "data"),
        ServiceId = "betrace-sqlite-tests",
        ClusterId = "betrace-sqlite-tests",
    };

    [Fact]
    public async Task SchemaInstaller_is_idempotent_creates_the_folder_and_enables_wal()
    {
        var options = Options;
        Assert.False(Directory.Exists(options.DataDirectory));

        await SchemaInstaller.InstallAsync(options);
        Assert.True(File.Exists(options.SqliteDatabasePath));
        Assert.EndsWith(Path.Combine("data", StorageOptions.SqliteFileName), options.SqliteDatabasePath);

        // Data written between two start-ups survives the second installation.
        await ExecuteAsync(options, """
            INSERT INTO betrace_grain_state
                (service_id, grain_type, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1, grain_id_ext, payload, version)
            VALUES ('s', 't', 1, 2, 0, 0, 'k', x'01', 7)
            """);
        await SchemaInstaller.InstallAsync(options);
        await SchemaInstaller.InstallAsync(options);

        Assert.Equal("wal", await ScalarAsync(options, "PRAGMA journal_mode"));
        Assert.Equal(
            "ClearStorageKey,DeleteStorageKey,ReadFromStorageKey,WriteToStorageKey",
            await ScalarAsync(options, "SELECT group_concat(QueryKey, ',') FROM (SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey)"));
        Assert.Equal("7", await ScalarAsync(options, "SELECT version FROM betrace_grain_state WHERE grain_id_ext = 'k'"));
        Assert.Equal("1", await ScalarAsync(options, "SELECT count(*) FROM betrace_grain_state"));
    }

    [Fact]
    public async Task Grain_state_survives_a_full_cluster_restart()
    {
        var options = Options;
        await using (var first = await StorageTestClusters.DeploySqliteAsync(options))
        {
            var grain = first.Client.GetGrain<IStorageProbeGrain>("tenant-a/rules");
            await grain.Save("one", 1);
            await grain.Save("two", 2);
            await first.Client.GetGrain<IStorageProbeGrain>("to-be-cleared").Save("gone", 9);
            await first.Client.GetGrain<IStorageProbeGrain>("to-be-cleared").Clear();
            await first.StopAllSilosAsync();
        }

        SqliteConnection.ClearAllPools();
        await using var second = await StorageTestClusters.DeploySqliteAsync(options);
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

        // The restarted grain keeps writing on top of the stored version.
        await second.Client.GetGrain<IStorageProbeGrain>("tenant-a/rules").Save("three", 3);
        await second.StopAllSilosAsync();
    }

    [Fact]
    public async Task Stale_and_concurrent_writes_are_refused()
    {
        await using var cluster = await StorageTestClusters.DeploySqliteAsync(Options);
        await GrainStorageChecks.StaleWritesAreRefusedAsync(GrainStorageChecks.Provider(cluster, BeTraceStorage.Rules));
        await GrainStorageChecks.StaleWritesAreRefusedAsync(GrainStorageChecks.Provider(cluster, BeTraceStorage.Traces));
        await GrainStorageChecks.ClearDeletesTheRowAsync(
            GrainStorageChecks.Provider(cluster, StorageTestClusters.DeleteOnClearProvider));
        await cluster.StopAllSilosAsync();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task ExecuteAsync(StorageOptions options, string sql)
    {
        await using var connection = new SqliteConnection(options.SqliteConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> ScalarAsync(StorageOptions options, string sql)
    {
        await using var connection = new SqliteConnection(options.SqliteConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
