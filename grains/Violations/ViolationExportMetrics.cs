using System.Diagnostics.Metrics;

namespace BeTrace.Grains.Violations;

/// <summary>
/// Instruments of the violation exporter on the <c>BeTrace</c> meter: exported spans, failed export attempts, dropped
/// spans (counters) and the current buffer depth (gauge).
/// </summary>
internal sealed class ViolationExportMetrics : IDisposable
{
    public const string MeterName = "BeTrace";

    private readonly Meter? _ownedMeter;

    public ViolationExportMetrics(IMeterFactory? meterFactory, Func<long> buffered)
    {
        Meter meter;
        if (meterFactory is null)
        {
            meter = new Meter(MeterName);
            _ownedMeter = meter;
        }
        else
        {
            meter = meterFactory.Create(MeterName);
        }

        Exported = meter.CreateCounter<long>(
            "betrace.violations.exported", "{span}", "Violation spans accepted by the OTLP endpoint.");
        ExportFailures = meter.CreateCounter<long>(
            "betrace.violations.export.failures", "{request}", "Failed violation export attempts (retries included).");
        Dropped = meter.CreateCounter<long>(
            "betrace.violations.dropped", "{span}", "Violation spans never exported (buffer full, or left at shutdown).");
        meter.CreateObservableGauge(
            "betrace.violations.buffered", buffered, "{span}", "Violation spans waiting for export.");
    }

    public Counter<long> Exported { get; }

    public Counter<long> ExportFailures { get; }

    public Counter<long> Dropped { get; }

    public void Dispose() => _ownedMeter?.Dispose();
}
