using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;

namespace BeTrace.Silo.Storage;

/// <summary>Embedded storage: the BeTrace grain storage providers in one SQLite file.</summary>
public static class SqliteStorageSiloBuilderExtensions
{
    /// <summary>
    /// Registers ADO.NET grain storage on SQLite (<see cref="StorageOptions.SqliteDatabasePath"/>) for every BeTrace
    /// storage provider name, applies the schema at start-up (unless <see cref="StorageOptions.ApplySchemaOnStartup"/>
    /// is off) and sets <see cref="ClusterOptions"/> from <paramref name="options"/>. Clustering is not touched:
    /// pair it with <c>UseLocalhostClustering</c> (call that first; it sets cluster ids of its own).
    /// </summary>
    public static ISiloBuilder UseBeTraceSqliteStorage(this ISiloBuilder builder, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var connectionString = options.SqliteConnectionString;

        builder.Services.AddBeTraceSchemaInstaller(options);
        builder.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = options.ServiceId;
        });
        foreach (var name in StorageProviderNames.All)
        {
            builder.AddAdoNetGrainStorage(name, storage =>
            {
                storage.Invariant = AdoNetInvariantNames.Sqlite;
                storage.ConnectionString = connectionString;
            });
        }

        return builder;
    }
}
