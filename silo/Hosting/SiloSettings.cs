namespace BeTrace.Silo.Hosting;

/// <summary>
/// Where the silo listens. Bound from the section <c>BeTrace:Silo</c> (environment: <c>BeTrace__Silo__AdminPort</c>, …)
/// and the command line (<c>--admin-port</c>, <c>--instance</c>, …). <see cref="Instance"/> N shifts every default
/// port by N so several silos can share one host.
/// </summary>
public sealed class SiloSettings
{
    public const string Section = "BeTrace:Silo";

    public const int DefaultSiloPort = 11111;
    public const int DefaultGatewayPort = 30000;
    public const int DefaultAdminPort = 9464;

    public int Instance { get; set; }

    public int? SiloPort { get; set; }

    public int? GatewayPort { get; set; }

    public int? AdminPort { get; set; }

    /// <summary>Address the admin HTTP endpoints bind to; loopback unless told otherwise.</summary>
    public string AdminAddress { get; set; } = "127.0.0.1";

    public int EffectiveSiloPort => SiloPort ?? DefaultSiloPort + Instance;

    public int EffectiveGatewayPort => GatewayPort ?? DefaultGatewayPort + Instance;

    public int EffectiveAdminPort => AdminPort ?? DefaultAdminPort + Instance;
}
