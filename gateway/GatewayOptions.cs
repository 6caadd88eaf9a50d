namespace BeTrace.Gateway;

/// <summary>Settings of the OTLP receivers (configuration section <c>BeTrace:Gateway</c>); see docs/ingest.md.</summary>
public sealed class GatewayOptions
{
    public const string Section = "BeTrace:Gateway";

    /// <summary>Request header naming the tenant (as in Tempo). A request without it belongs to <see cref="DefaultTenant"/>.</summary>
    public string TenantHeader { get; set; } = "X-Scope-OrgID";

    /// <summary>Tenant of requests that carry no tenant header.</summary>
    public string DefaultTenant { get; set; } = "default";

    /// <summary>
    /// Bearer token per tenant. When any token is configured, every request must carry
    /// <c>Authorization: Bearer &lt;token&gt;</c> equal to its tenant's token (a tenant without a token is refused).
    /// </summary>
    public Dictionary<string, string> Tokens { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Largest request body, both as received and after gzip decompression (default 8 MiB).</summary>
    public int MaxRequestBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>A span with more attributes is rejected.</summary>
    public int MaxAttributesPerSpan { get; set; } = 128;

    /// <summary>A request with more spans is refused as a whole.</summary>
    public int MaxSpansPerRequest { get; set; } = 100_000;

    /// <summary>Bound on concurrent trace grain calls across all requests of this gateway (backpressure).</summary>
    public int MaxInFlightGroups { get; set; } = 1024;

    /// <summary>How long a request waits for a free in-flight slot before it is answered "overloaded".</summary>
    public TimeSpan InFlightWaitTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long the gateway waits for one trace grain call before answering "unavailable".</summary>
    public TimeSpan GrainCallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Delay suggested to clients on retryable failures (Retry-After, gRPC RetryInfo).</summary>
    public int RetryAfterSeconds { get; set; } = 1;
}
