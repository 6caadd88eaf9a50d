namespace BeTrace.Grains.Violations;

/// <summary>
/// Configuration of the OTLP violation exporter (docs/violations.md). Endpoint and protocol default to the standard
/// OpenTelemetry environment variables <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> and <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>,
/// read when the options object is created.
/// </summary>
public sealed class ViolationExportOptions
{
    public const string Section = "BeTrace:Violations:Export";

    /// <summary>Value of <see cref="Protocol"/> for OTLP/gRPC.</summary>
    public const string Grpc = "grpc";

    /// <summary>Value of <see cref="Protocol"/> for OTLP/HTTP with binary protobuf bodies.</summary>
    public const string HttpProtobuf = "http/protobuf";

    /// <summary>Environment variable holding the default <see cref="Endpoint"/>.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Environment variable holding the default <see cref="Protocol"/>.</summary>
    public const string ProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";

    private Uri _endpoint;
    private string? _invalidEndpointVariable;

    public ViolationExportOptions()
    {
        var value = Environment.GetEnvironmentVariable(EndpointVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            _endpoint = new Uri("http://localhost:4317");
        }
        else if (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri))
        {
            _endpoint = uri;
        }
        else
        {
            _endpoint = new Uri("http://localhost:4317");
            _invalidEndpointVariable = value;
        }
    }

    /// <summary>
    /// Base URL of the OTLP receiver (scheme http or https). For <see cref="HttpProtobuf"/> the signal path
    /// <c>/v1/traces</c> is appended unless the URL already ends with it, as the OpenTelemetry specification
    /// prescribes for <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>. Default: that variable, else <c>http://localhost:4317</c>.
    /// </summary>
    public Uri Endpoint
    {
        get => _endpoint;
        set
        {
            _endpoint = value;
            _invalidEndpointVariable = null;
        }
    }

    /// <summary><see cref="Grpc"/> or <see cref="HttpProtobuf"/>. Default: <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, else grpc.</summary>
    public string Protocol { get; set; } = DefaultProtocol();

    /// <summary>When false, <see cref="ViolationSpanExporter.Publish(BeTrace.Grains.Interfaces.Violations.ViolationRecord)"/> does nothing.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// HMAC-SHA256 secret for <c>betrace.violation.signature</c> (empty: none). When set, every exported span is
    /// signed with it (the record's own signature is not trusted); when empty, the record's signature is exported as
    /// is and an empty one leaves the attribute out.
    /// </summary>
    public string SigningKey { get; set; } = string.Empty;

    /// <summary>Optional extra request headers, <c>key=value</c> pairs separated by commas (as OTEL_EXPORTER_OTLP_HEADERS).</summary>
    public string? Headers { get; set; }

    /// <summary>Violation spans held while the endpoint is slow or down; beyond it new spans are dropped and counted.</summary>
    public int MaxBufferedSpans { get; set; } = 10_000;

    /// <summary>Spans per export request.</summary>
    public int MaxExportBatch { get; set; } = 512;

    /// <summary>Wait after the first failed export of a batch; doubled on each further failure.</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of the wait between two attempts.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time one export request may take (the OTLP exporter's timeout).</summary>
    public TimeSpan ExportTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long disposal keeps trying to deliver what is still buffered; what is left after it is counted as dropped.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The endpoint requests actually go to: <see cref="Endpoint"/>, plus <c>/v1/traces</c> for OTLP/HTTP.</summary>
    public Uri EffectiveEndpoint()
    {
        if (!IsHttpProtobuf(Protocol))
        {
            return Endpoint;
        }

        var text = Endpoint.AbsoluteUri;
        if (text.EndsWith("/v1/traces", StringComparison.OrdinalIgnoreCase)
            || text.EndsWith("/v1/traces/", StringComparison.OrdinalIgnoreCase))
        {
            return Endpoint;
        }

        return new Uri(text.TrimEnd('/') + "/v1/traces");
    }

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (_invalidEndpointVariable is not null)
        {
            throw new ArgumentException(
                $"{EndpointVariable} = '{_invalidEndpointVariable}' is not an absolute URL.");
        }

        ArgumentNullException.ThrowIfNull(Endpoint);
        if (!Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Violation export endpoint '{Endpoint}' must be an absolute http or https URL.");
        }

        if (!IsGrpc(Protocol) && !IsHttpProtobuf(Protocol))
        {
            throw new ArgumentException(
                $"Violation export protocol '{Protocol}' is not supported; use '{Grpc}' or '{HttpProtobuf}'.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBufferedSpans, 1, nameof(MaxBufferedSpans));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxExportBatch, 1, nameof(MaxExportBatch));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RetryInitialDelay, TimeSpan.Zero, nameof(RetryInitialDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryMaxDelay, RetryInitialDelay, nameof(RetryMaxDelay));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ExportTimeout, TimeSpan.Zero, nameof(ExportTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(ShutdownTimeout, TimeSpan.Zero, nameof(ShutdownTimeout));
    }

    internal static bool IsGrpc(string? protocol) =>
        string.Equals(protocol?.Trim(), Grpc, StringComparison.OrdinalIgnoreCase);

    internal static bool IsHttpProtobuf(string? protocol) =>
        string.Equals(protocol?.Trim(), HttpProtobuf, StringComparison.OrdinalIgnoreCase);

    private static string DefaultProtocol()
    {
        var value = Environment.GetEnvironmentVariable(ProtocolVariable);
        return string.IsNullOrWhiteSpace(value) ? Grpc : value.Trim();
    }
}
