using System.Diagnostics;
using System.Diagnostics.Metrics;
using BeTrace.Grains.Interfaces.Violations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BeTrace.Grains.Violations;

/// <summary>
/// Emits one OTLP span per violation back into the offending trace (docs/violations.md), with the OpenTelemetry .NET
/// SDK: an own <see cref="TracerProvider"/> (resource <c>service.name = betrace</c>, always-on sampling, listening to
/// this instance's <see cref="ActivitySource"/> <c>BeTrace.Violations</c>) and the SDK's <see cref="OtlpTraceExporter"/>
/// behind a bounded, retrying export buffer. Thread-safe; <see cref="Publish(ViolationRecord)"/> never blocks on the
/// network.
/// </summary>
/// <remarks>
/// Do not add the <c>BeTrace.Violations</c> source to another tracer provider of the process: that provider would
/// export the violation spans a second time.
/// </remarks>
public sealed partial class ViolationSpanExporter : IDisposable, IAsyncDisposable
{
    /// <summary>Name of the activity source of violation spans (also their instrumentation scope).</summary>
    public const string ActivitySourceName = ViolationAttributes.InstrumentationScope;

    /// <summary>The <c>service.name</c> of the resource of violation spans.</summary>
    public const string ServiceName = "betrace";

    private readonly ActivitySource? _source;
    private readonly TracerProvider? _provider;
    private readonly ViolationExportProcessor? _processor;
    private readonly ViolationExportMetrics? _metrics;
    private readonly string? _signingKey;
    private readonly TimeSpan _shutdownTimeout;
    private readonly ILogger _logger;
    private int _disposed;

    /// <param name="options">Endpoint, protocol, signing key, buffer and retry settings; validated here.</param>
    /// <param name="meterFactory">Creates the <c>BeTrace</c> meter (DI); null: the exporter owns a plain <see cref="Meter"/>.</param>
    /// <param name="logger">Export failures, recovery and drops are logged here.</param>
    public ViolationSpanExporter(
        ViolationExportOptions options,
        IMeterFactory? meterFactory = null,
        ILogger<ViolationSpanExporter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _signingKey = string.IsNullOrEmpty(options.SigningKey) ? null : options.SigningKey;
        _shutdownTimeout = options.ShutdownTimeout;
        Endpoint = options.EffectiveEndpoint();
        Enabled = options.Enabled;
        if (!options.Enabled)
        {
            return;
        }

        var otlpOptions = new OtlpExporterOptions
        {
            Endpoint = Endpoint,
            Protocol = ViolationExportOptions.IsHttpProtobuf(options.Protocol)
                ? OtlpExportProtocol.HttpProtobuf
                : OtlpExportProtocol.Grpc,
            TimeoutMilliseconds = (int)Math.Min(int.MaxValue, options.ExportTimeout.TotalMilliseconds),
        };
        if (!string.IsNullOrWhiteSpace(options.Headers))
        {
            otlpOptions.Headers = options.Headers;
        }

        var version = typeof(ViolationSpanExporter).Assembly.GetName().Version?.ToString();
        _source = new ActivitySource(ActivitySourceName, version);
        ViolationExportProcessor? processor = null;
        _metrics = new ViolationExportMetrics(meterFactory, () => processor?.Buffered ?? 0);
        try
        {
            processor = new ViolationExportProcessor(new OtlpTraceExporter(otlpOptions), _source, options, _metrics, _logger);
            _processor = processor;
            _provider = Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(ServiceName, serviceVersion: version))
                .SetSampler(new AlwaysOnSampler())
                .AddSource(ActivitySourceName)
                .AddProcessor(processor)
                .Build();
        }
        catch
        {
            processor?.Shutdown(0);
            processor?.Dispose();
            _source.Dispose();
            _metrics.Dispose();
            throw;
        }
    }

    /// <summary>False when the options disabled export: <see cref="Publish(ViolationRecord)"/> does nothing.</summary>
    public bool Enabled { get; }

    /// <summary>Where requests go (for OTLP/HTTP including <c>/v1/traces</c>).</summary>
    public Uri Endpoint { get; }

    /// <summary>Violation spans accepted by the endpoint.</summary>
    public long Exported => _processor?.Exported ?? 0;

    /// <summary>Failed export attempts, retries of the same batch included.</summary>
    public long ExportFailures => _processor?.ExportFailures ?? 0;

    /// <summary>Violation spans never exported: buffer full, or still buffered at the shutdown deadline.</summary>
    public long Dropped => _processor?.Dropped ?? 0;

    /// <summary>Violation spans waiting for export (never more than MaxBufferedSpans).</summary>
    public long Buffered => _processor?.Buffered ?? 0;

    /// <summary>Publishes the violation span of <paramref name="violation"/> with the record's witnesses and detection time.</summary>
    /// <returns>The span id (16 hex digits) of the violation span, or null when export is disabled or the span was not created.</returns>
    public string? Publish(ViolationRecord violation)
    {
        ArgumentNullException.ThrowIfNull(violation);
        return Publish(violation, violation.WitnessSpanId, violation.NeverWitnessSpanId, violation.DetectedAt);
    }

    /// <summary>
    /// Creates and ends the violation span: name <c>betrace.violation</c>, kind INTERNAL, trace id = the record's trace
    /// id, parent = <paramref name="witnessSpanId"/> (remote, sampled), a link to <paramref name="neverWitnessSpanId"/>
    /// when given, start = <paramref name="detectedAt"/> and end = start + 100 ns (one tick, the shortest duration an Activity can carry), and the contract attributes. Without a witness the span
    /// is a root span of the offending trace (a parent context with the trace id and an all-zero span id, which the
    /// exporter writes as an empty parent_span_id). The span is queued for export; <see cref="Activity.Current"/> of
    /// the caller is left unchanged.
    /// </summary>
    /// <returns>The span id (16 hex digits) of the violation span, or null when export is disabled or the span was not created.</returns>
    /// <exception cref="ArgumentException">The trace id or a span id is not valid hex of the right length.</exception>
    public string? Publish(ViolationRecord violation, string? witnessSpanId, string? neverWitnessSpanId, DateTimeOffset detectedAt)
    {
        ArgumentNullException.ThrowIfNull(violation);
        if (_source is null || _processor is null)
        {
            return null;
        }

        if (Volatile.Read(ref _disposed) != 0)
        {
            // Publishing while the silo shuts down: the span can no longer be exported.
            _processor.CountDropped(1);
            return null;
        }

        var traceId = ParseTraceId(violation.TraceId);
        var parentSpanId = string.IsNullOrEmpty(witnessSpanId) ? default : ParseSpanId(witnessSpanId, nameof(witnessSpanId));
        var parent = new ActivityContext(traceId, parentSpanId, ActivityTraceFlags.Recorded, isRemote: true);
        ActivityLink[]? links = string.IsNullOrEmpty(neverWitnessSpanId)
            ? null
            : [new ActivityLink(new ActivityContext(
                traceId, ParseSpanId(neverWitnessSpanId, nameof(neverWitnessSpanId)), ActivityTraceFlags.Recorded, isRemote: true))];
        var tags = Attributes(violation);

        var previous = Activity.Current;
        try
        {
            using var activity = _source.StartActivity(
                ViolationAttributes.SpanName, ActivityKind.Internal, parent, tags, links, detectedAt);
            if (activity is null)
            {
                _processor.CountDropped(1);
                return null;
            }

            // A violation is an instant. Activity reserves a zero duration for "not ended" (Stop would then set the
            // end to now), and SetEndTime turns a zero duration into one tick: end = start + 100 ns.
            activity.SetEndTime(activity.StartTimeUtc);
            var spanId = activity.SpanId.ToHexString();
            activity.Stop();
            return spanId;
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    /// <summary>
    /// The attributes of the violation span of <paramref name="violation"/>, in contract order. The signature: with a
    /// configured signing key it is always computed here over <see cref="ViolationSignature.Fields"/> (a differing
    /// record signature is logged and replaced); without a key the record's signature is used, and left out when empty.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Attributes(ViolationRecord violation)
    {
        ArgumentNullException.ThrowIfNull(violation);
        var fields = ViolationSignature.Fields(violation);
        var signature = violation.Signature;
        if (_signingKey is not null)
        {
            var computed = ViolationSignature.Sign(fields, _signingKey);
            if (!string.IsNullOrEmpty(signature) && !string.Equals(signature, computed, StringComparison.Ordinal))
            {
                LogResigned(violation.ViolationId);
            }

            signature = computed;
        }

        var tags = new List<KeyValuePair<string, object?>>(13)
        {
            new(ViolationAttributes.Violation, true),
            new(ViolationAttributes.Id, fields[ViolationAttributes.Id]),
            new(ViolationAttributes.RuleId, fields[ViolationAttributes.RuleId]),
            new(ViolationAttributes.RuleName, fields[ViolationAttributes.RuleName]),
            new(ViolationAttributes.Severity, fields[ViolationAttributes.Severity]),
            new(ViolationAttributes.Message, fields[ViolationAttributes.Message]),
            new(ViolationAttributes.TraceId, fields[ViolationAttributes.TraceId]),
            new(ViolationAttributes.Tenant, fields[ViolationAttributes.Tenant]),
        };
        if (!string.IsNullOrEmpty(signature))
        {
            tags.Add(new(ViolationAttributes.Signature, signature));
        }

        tags.Add(new(ViolationAttributes.TraceComplete, violation.TraceComplete));
        if (!string.IsNullOrEmpty(violation.ComplianceFramework))
        {
            tags.Add(new(ViolationAttributes.ComplianceFramework, violation.ComplianceFramework));
        }

        if (!string.IsNullOrEmpty(violation.ComplianceControl))
        {
            tags.Add(new(ViolationAttributes.ComplianceControl, violation.ComplianceControl));
        }

        return tags;
    }

    /// <summary>Waits until every span published before the call was exported (or dropped), at most <paramref name="timeout"/>.</summary>
    /// <returns>True when everything was delivered in time.</returns>
    public bool ForceFlush(TimeSpan timeout)
    {
        if (_provider is null || Volatile.Read(ref _disposed) != 0)
        {
            return true;
        }

        return _provider.ForceFlush(ToMilliseconds(timeout));
    }

    /// <summary>Shuts down: keeps delivering for at most ShutdownTimeout; what is left is counted as dropped.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_provider is not null)
        {
            _provider.Shutdown(ToMilliseconds(_shutdownTimeout));
            _provider.Dispose();
        }

        _source?.Dispose();
        _metrics?.Dispose();
    }

    /// <summary>As <see cref="Dispose"/>, off the caller's thread (shutdown may wait up to ShutdownTimeout).</summary>
    public ValueTask DisposeAsync() => new(Task.Run(Dispose));

    private static int ToMilliseconds(TimeSpan timeout) =>
        timeout == Timeout.InfiniteTimeSpan
            ? Timeout.Infinite
            : (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue);

    private static ActivityTraceId ParseTraceId(string? value)
    {
        if (value is null || value.Length != 32 || !IsHex(value) || IsAllZero(value))
        {
            throw new ArgumentException($"Trace id '{value}' is not 32 hex digits (and not all zero).", "violation");
        }

        return ActivityTraceId.CreateFromString(value.ToLowerInvariant());
    }

    private static ActivitySpanId ParseSpanId(string value, string parameter)
    {
        if (value.Length != 16 || !IsHex(value) || IsAllZero(value))
        {
            throw new ArgumentException($"Span id '{value}' is not 16 hex digits (and not all zero).", parameter);
        }

        return ActivitySpanId.CreateFromString(value.ToLowerInvariant());
    }

    private static bool IsHex(string value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAllZero(string value)
    {
        foreach (var c in value)
        {
            if (c != '0')
            {
                return false;
            }
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Violation {ViolationId} carries a signature that does not match its fields under the configured key; the span is re-signed")]
    private partial void LogResigned(string violationId);
}
