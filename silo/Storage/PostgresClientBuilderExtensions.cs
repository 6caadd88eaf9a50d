using Orleans.Configuration;
using Orleans.Hosting;

namespace BeTrace.Silo.Storage;

/// <summary>Orleans clients (stand-alone gateways) of a PostgreSQL cluster.</summary>
public static class PostgresClientBuilderExtensions
{
    /// <summary>
    /// Finds the gateways through the PostgreSQL membership table (active silos with a gateway port) and sets
    /// <see cref="ClusterOptions"/> from <paramref name="options"/>. The client does not apply the schema: a silo
    /// (or deploy-local/apply-schema.sh) must have done so, or the client fails to start with
    /// "Not all required queries found".
    /// </summary>
    public static IClientBuilder UseBeTracePostgresClustering(this IClientBuilder builder, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var connectionString = options.RequirePostgresConnectionString();

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
        return builder;
    }
}
