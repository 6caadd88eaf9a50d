namespace BeTrace.Gateway.Hosting;

public enum ClusterMode
{
    /// <summary>The embedded default: one silo on this host, reached on its Orleans gateway port.</summary>
    Localhost,

    /// <summary>A cluster whose membership table is in PostgreSQL.</summary>
    Postgres,
}

/// <summary>How an Orleans client (a stand-alone gateway, the console) finds the cluster. Section <c>BeTrace:Cluster</c>.</summary>
public sealed class ClusterConnection
{
    public const string Section = "BeTrace:Cluster";
    public const int DefaultSiloGatewayPort = 30000;

    public ClusterMode Mode { get; set; } = ClusterMode.Localhost;

    /// <summary>The silo's Orleans gateway port in <see cref="ClusterMode.Localhost"/> mode.</summary>
    public int SiloGatewayPort { get; set; } = DefaultSiloGatewayPort;

    public string? PostgresConnectionString { get; set; }

    public string ClusterId { get; set; } = "betrace";

    public string ServiceId { get; set; } = "betrace";
}
