using System.Diagnostics.Metrics;
using BeTrace.Gateway.Conversion;
using BeTrace.Gateway.Export;

namespace BeTrace.Gateway.Metrics;

/// <summary>
/// The gateway's instruments on the "BeTrace" meter. Tags are bounded: tenant (configured or used tenants),
/// protocol, outcome and reject reason (closed sets); never trace ids.
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "BeTrace";

    private readonly Counter<long> _spansReceived;
    private readonly Counter<long> _spansRejected;
    private readonly Counter<long> _requests;
    private readonly UpDownCounter<long> _inFlight;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        // The factory owns the meter (shared with the grains' instruments when co-hosted) and disposes it.
        var meter = meterFactory.Create(MeterName);
        _spansReceived = meter.CreateCounter<long>("betrace.gateway.spans.received", "{span}", "Spans in export requests, valid or not.");
        _spansRejected = meter.CreateCounter<long>("betrace.gateway.spans.rejected", "{span}", "Invalid spans rejected by the gateway, by reason.");
        _requests = meter.CreateCounter<long>("betrace.gateway.requests", "{request}", "Export requests by protocol and outcome.");
        _inFlight = meter.CreateUpDownCounter<long>("betrace.gateway.inflight", "{call}", "Trace grain calls in flight (bounded by MaxInFlightGroups).");
    }

    public void SpansReceived(int count, string tenant, string protocol)
    {
        if (count > 0)
        {
            _spansReceived.Add(count, new("tenant", tenant), new("protocol", protocol));
        }
    }

    public void SpansRejected(SpanRejectReason reason, int count, string tenant)
    {
        if (count > 0)
        {
            _spansRejected.Add(count, new("tenant", tenant), new("reason", reason.TagValue()));
        }
    }

    public void Request(string protocol, RequestOutcome outcome) =>
        _requests.Add(1, new("protocol", protocol), new("outcome", TagValue(outcome)));

    public void Request(string protocol, ExportError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Request(protocol, Outcome(error.Kind));
    }

    public void InFlight(int delta) => _inFlight.Add(delta);

    public static RequestOutcome Outcome(ExportErrorKind kind) => kind switch
    {
        ExportErrorKind.InvalidArgument => RequestOutcome.InvalidArgument,
        ExportErrorKind.Unauthenticated => RequestOutcome.Unauthenticated,
        ExportErrorKind.PayloadTooLarge => RequestOutcome.PayloadTooLarge,
        ExportErrorKind.UnsupportedMediaType => RequestOutcome.UnsupportedMediaType,
        ExportErrorKind.MethodNotAllowed => RequestOutcome.MethodNotAllowed,
        ExportErrorKind.Overloaded => RequestOutcome.Overloaded,
        _ => RequestOutcome.Unavailable,
    };

    public static string TagValue(RequestOutcome outcome) => outcome switch
    {
        RequestOutcome.Success => "success",
        RequestOutcome.PartialSuccess => "partial_success",
        RequestOutcome.InvalidArgument => "invalid_argument",
        RequestOutcome.Unauthenticated => "unauthenticated",
        RequestOutcome.PayloadTooLarge => "payload_too_large",
        RequestOutcome.UnsupportedMediaType => "unsupported_media_type",
        RequestOutcome.MethodNotAllowed => "method_not_allowed",
        RequestOutcome.Overloaded => "overloaded",
        RequestOutcome.Unavailable => "unavailable",
        _ => "cancelled",
    };
}
