using BeTrace.Gateway.Metrics;
using BeTrace.Gateway.Otlp.Collector.Trace;

namespace BeTrace.Gateway.Export;

/// <summary>The answer to an export request: a response (possibly with partial_success) or an error.</summary>
public sealed record ExportOutcome(ExportTraceServiceResponse? Response, ExportError? Error)
{
    public static ExportOutcome Accepted(ExportTraceServiceResponse response) => new(response, null);

    public static ExportOutcome Refused(ExportError error) => new(null, error);

    public static ExportOutcome Refused(ExportErrorKind kind, string message) => new(null, new ExportError(kind, message));

    /// <summary>The outcome tag of the request metric.</summary>
    public RequestOutcome MetricOutcome => Error is { } error
        ? GatewayMetrics.Outcome(error.Kind)
        : Response?.PartialSuccess is null ? RequestOutcome.Success : RequestOutcome.PartialSuccess;
}
