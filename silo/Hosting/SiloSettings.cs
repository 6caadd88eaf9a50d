using BeTrace.Gateway.Hosting;

namespace BeTrace.Silo.Hosting;

/// <summary>
/// The silo's Orleans ports, bound from <c>BeTrace:Silo</c> (environment <c>BeTrace__Silo__SiloPort</c>, …) and the
/// command line. The shared instance number N (<c>--instance</c>) shifts the defaults so several silos share a host.
/// </summary>
public sealed class SiloSettings
{
    public const string Section = "BeTrace:Silo";

    public const int DefaultSiloPort = 11111;
    public const int DefaultGatewayPort = ClusterConnection.DefaultSiloGatewayPort;

    public int Instance { get; set; }

    public int? SiloPort { get; set; }

    public int? GatewayPort { get; set; }

    /// <summary>
    /// Cluster mode: the address this silo listens on and advertises to the others (must be reachable by them).
    /// Unset, Orleans picks the host's primary address; 127.0.0.1 keeps a one-host cluster off the network.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    public int EffectiveSiloPort => SiloPort ?? DefaultSiloPort + Instance;

    public int EffectiveGatewayPort => GatewayPort ?? DefaultGatewayPort + Instance;
}
