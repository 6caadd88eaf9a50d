using System.Reflection;
using BeTrace.Silo.Storage;
using Orleans.TestingHost;

namespace BeTrace.Grains.Tests.Storage;

/// <summary>In-process test clusters wired with the BeTrace storage extensions, as the silo host wires them.</summary>
internal static class StorageTestClusters
{
    /// <summary>An extra provider on the same database with DeleteStateOnClear, to exercise DeleteStorageKey.</summary>
    public const string DeleteOnClearProvider = "delete-on-clear";

    /// <summary>Deploys a one-silo cluster whose grain storage is the SQLite file of <paramref name="options"/>.</summary>
    public static async Task<InProcessTestCluster> DeploySqliteAsync(StorageOptions options)
    {
        var builder = NewBuilder(1, options);
        builder.ConfigureSilo((_, silo) => silo
            .UseBeTraceSqliteStorage(options)
            .AddAdoNetGrainStorage(DeleteOnClearProvider, storage =>
            {
                storage.Invariant = AdoNetInvariantNames.Sqlite;
                storage.ConnectionString = options.SqliteConnectionString;
                storage.DeleteStateOnClear = true;
            }));
        return await DeployAsync(builder);
    }

    /// <summary>
    /// Deploys silos that find each other through the PostgreSQL membership table (not the test cluster's in-memory
    /// membership) and keep grain state in PostgreSQL; the cluster's client finds the gateways in the same table.
    /// </summary>
    public static async Task<InProcessTestCluster> DeployPostgresAsync(StorageOptions options, short silos)
    {
        var builder = NewBuilder(silos, options);
        UseRealMembership(builder);
        builder.ConfigureSilo((_, silo) => silo
            .UseBeTracePostgres(options)
            .AddAdoNetGrainStorage(DeleteOnClearProvider, storage =>
            {
                storage.Invariant = AdoNetInvariantNames.Postgres;
                storage.ConnectionString = options.RequirePostgresConnectionString();
                storage.DeleteStateOnClear = true;
            }));
        builder.ConfigureClient(client => client.UseBeTracePostgresClustering(options));
        return await DeployAsync(builder);
    }

    private static InProcessTestClusterBuilder NewBuilder(short silos, StorageOptions options)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        // The test cluster applies its own ClusterOptions after ours: make them the same, so that state written by
        // one cluster is found by the next (storage rows are keyed by the service id).
        builder.Options.ClusterId = options.ClusterId;
        builder.Options.ServiceId = options.ServiceId;
        builder.Options.ConfigureFileLogging = false;
        return builder;
    }

    private static async Task<InProcessTestCluster> DeployAsync(InProcessTestClusterBuilder builder)
    {
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// InProcessTestCluster registers its in-memory membership table (and gateway list) after our configuration, so it
    /// would shadow ADO.NET clustering. The switch is internal in Orleans.TestingHost 10.4.2; turn it off by reflection.
    /// </summary>
    private static void UseRealMembership(InProcessTestClusterBuilder builder)
    {
        const string Name = "UseTestClusterMembership";
        var property = typeof(InProcessTestClusterOptions).GetProperty(
                Name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException(
                $"InProcessTestClusterOptions.{Name} is gone (Orleans.TestingHost changed); "
                + "the PostgreSQL membership tests need another way to turn off the test cluster's membership.");
        property.SetValue(builder.Options, false);
    }
}
