using Orleans.Configuration;
using Orleans.Hosting;

namespace BeTrace.Gateway.Hosting;

/// <summary>Points an Orleans client at a BeTrace cluster.</summary>
public static class ClusterClientRegistration
{
    public const string NpgsqlInvariant = "Npgsql";

    public static IClientBuilder UseBeTraceCluster(this IClientBuilder client, ClusterConnection connection) =>
        connection.Mode == ClusterMode.Postgres
            ? client.UseBeTracePostgresClustering(
                connection.PostgresConnectionString
                    ?? throw new InvalidOperationException("cluster mode Postgres needs a connection string (BeTrace:Cluster:PostgresConnectionString, --postgres)"),
                connection.ClusterId, connection.ServiceId)
            : client.UseLocalhostClustering(connection.SiloGatewayPort, connection.ServiceId, connection.ClusterId);

    /// <summary>
    /// Finds the gateways through the PostgreSQL membership table (active silos with a gateway port). The client does
    /// not apply the schema: a silo (or deploy-local/apply-schema.sh) must have, else it fails with "Not all required
    /// queries found".
    /// </summary>
    public static IClientBuilder UseBeTracePostgresClustering(this IClientBuilder client, string connectionString, string clusterId, string serviceId)
    {
        client.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = clusterId;
            cluster.ServiceId = serviceId;
        });
        return client.UseAdoNetClustering(clustering =>
        {
            clustering.Invariant = NpgsqlInvariant;
            clustering.ConnectionString = connectionString;
        });
    }
}
