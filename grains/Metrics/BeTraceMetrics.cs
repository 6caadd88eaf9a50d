using System.Diagnostics.Metrics;

namespace BeTrace.Grains.Metrics;

/// <summary>
/// The instruments of the "BeTrace" meter that the grains record (architecture.md, Observability).
/// Tags stay low-cardinality: tenant, rule id and severity, never trace ids.
/// </summary>
public sealed class BeTraceMetrics : IDisposable
{
    public const string MeterName = "BeTrace";

    private readonly Meter _meter;

    public BeTraceMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        SpansAccepted = _meter.CreateCounter<long>("betrace.spans.accepted", "{span}", "Spans appended to live traces.");
        SpansDuplicate = _meter.CreateCounter<long>("betrace.spans.duplicate", "{span}", "Spans ignored because the trace already had their span id (client retries).");
        SpansDropped = _meter.CreateCounter<long>("betrace.spans.dropped", "{span}", "Spans dropped because their trace reached its span or byte cap.");
        LateSpans = _meter.CreateCounter<long>("betrace.spans.late", "{span}", "Spans that arrived after their trace was evaluated (within the grace period).");
        TracesActive = _meter.CreateUpDownCounter<long>("betrace.traces.active", "{trace}", "Trace grains currently holding spans.");
        TracesEvaluated = _meter.CreateCounter<long>("betrace.traces.evaluated", "{trace}", "Trace evaluations (a re-evaluation after late spans counts again).");
        TracesParked = _meter.CreateCounter<long>("betrace.traces.parked", "{trace}", "Live traces written to storage at a graceful shutdown, to be resumed elsewhere.");
        EvaluationLatency = _meter.CreateHistogram<double>("betrace.evaluation.duration", "ms", "Time to evaluate all of a tenant's rules against one trace.");
        Violations = _meter.CreateCounter<long>("betrace.violations", "{violation}", "Violations detected, by rule and severity.");
    }

    public Counter<long> SpansAccepted { get; }

    public Counter<long> SpansDuplicate { get; }

    public Counter<long> SpansDropped { get; }

    public Counter<long> LateSpans { get; }

    public UpDownCounter<long> TracesActive { get; }

    public Counter<long> TracesEvaluated { get; }

    public Counter<long> TracesParked { get; }

    public Histogram<double> EvaluationLatency { get; }

    public Counter<long> Violations { get; }

    public void Dispose() => _meter.Dispose();
}
