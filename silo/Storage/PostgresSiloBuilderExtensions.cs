using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;

namespace BeTrace.Silo.Storage;

/// <summary>Cluster storage: membership and the BeTrace grain storage providers in PostgreSQL.</summary>
public static class PostgresSiloBuilderExtensions
{
    /// <summary>
    /// Registers ADO.NET clustering (the membership table) and ADO.NET grain storage on PostgreSQL for every BeTrace
    /// storage provider name, applies the schema at start-up (unless <see cref="StorageOptions.ApplySchemaOnStartup"/>
    /// is off) and sets <see cref="ClusterOptions"/> from <paramref name="options"/>. Endpoints (silo and gateway
    /// ports, advertised address) remain the host's to configure.
    /// </summary>
    public static ISiloBuilder UseBeTracePostgres(this ISiloBuilder builder, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var connectionString = options.RequirePostgresConnectionString();

        builder.Services.AddBeTraceSchemaInstaller(options);
        builder.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = options.ServiceId;
        });
        builder.UseAdoNetClustering(clustering =>
        {
            clustering.Invariant = AdoNetInvariantNames.Postgres;
            clustering.ConnectionString = connectionString;
        });
        foreach (var name in StorageProviderNames.All)
        {
            builder.AddAdoNetGrainStorage(name, storage =>
            {
                storage.Invariant = AdoNetInvariantNames.Postgres;
                storage.ConnectionString = connectionString;
            });
        }

        return builder;
    }
}
