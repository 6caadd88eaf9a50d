namespace BeTrace.Gateway.Hosting;

/// <summary>
/// The ports a BeTrace process listens on. <see cref="Instance"/> N shifts every default port by N so several
/// silos and gateways can share one host. Addresses default to loopback: exposing a port is a deliberate choice.
/// </summary>
public sealed class ListenSettings
{
    public const int DefaultOtlpGrpcPort = 4317;
    public const int DefaultOtlpHttpPort = 4318;
    public const int DefaultAdminPort = 9464;

    public int Instance { get; set; }

    public int? OtlpGrpcPort { get; set; }

    public int? OtlpHttpPort { get; set; }

    public int? AdminPort { get; set; }

    /// <summary>Address of the OTLP receivers (0.0.0.0 to accept telemetry from other hosts).</summary>
    public string OtlpAddress { get; set; } = "127.0.0.1";

    /// <summary>Address of the admin endpoints (health, metrics).</summary>
    public string AdminAddress { get; set; } = "127.0.0.1";

    /// <summary>Whether this process serves OTLP at all (a silo behind stand-alone gateways may not).</summary>
    public bool OtlpEnabled { get; set; } = true;

    public int EffectiveOtlpGrpcPort => OtlpGrpcPort ?? DefaultOtlpGrpcPort + Instance;

    public int EffectiveOtlpHttpPort => OtlpHttpPort ?? DefaultOtlpHttpPort + Instance;

    public int EffectiveAdminPort => AdminPort ?? DefaultAdminPort + Instance;
}
