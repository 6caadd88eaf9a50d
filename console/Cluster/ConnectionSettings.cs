using Npgsql;

namespace BeTrace.Console.Cluster;

/// <summary>Where the cluster is and which tenant the command works on, resolved from options and environment.</summary>
public sealed record ConnectionSettings(
    ClusterMode Mode,
    string? ConnectionString,
    int GatewayPort,
    string ClusterId,
    string ServiceId,
    string Tenant,
    TimeSpan ConnectTimeout)
{
    public const int DefaultGatewayPort = 30000;
    public const string DefaultClusterId = "betrace";
    public const string DefaultTenant = "default";

    /// <summary>Where we tried to connect, for messages; never shows a password.</summary>
    public string Describe()
    {
        if (Mode == ClusterMode.Local)
        {
            return $"the local gateway 127.0.0.1:{GatewayPort} (cluster id '{ClusterId}')";
        }
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"the PostgreSQL cluster '{ClusterId}' (membership in database '{builder.Database}' on {builder.Host}:{builder.Port})";
    }

    /// <summary>What to try when the cluster cannot be reached.</summary>
    public string Hint() => Mode == ClusterMode.Local
        ? "is a silo running? Start one with `dotnet run --project silo`, or pick another with --gateway-port, --instance or --cluster postgres"
        : "is PostgreSQL reachable, and is at least one silo of this cluster id active? (--cluster-id, BETRACE_CLUSTER_ID)";
}
