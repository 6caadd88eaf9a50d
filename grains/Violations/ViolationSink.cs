using BeTrace.Grains.Interfaces.Violations;
using BeTrace.Grains.Metrics;
using Microsoft.Extensions.Logging;

namespace BeTrace.Grains.Violations;

/// <summary>
/// Publishes detected violations: the OTLP violation span (buffered, retried, drops counted by the exporter),
/// the per-rule counter, and the tenant's recent-violations log.
/// </summary>
public sealed partial class ViolationSink(
    ViolationSpanExporter exporter,
    BeTraceMetrics metrics,
    IGrainFactory grains,
    ILogger<ViolationSink> logger) : IViolationSink
{
    public async Task Publish(IReadOnlyList<ViolationRecord> violations)
    {
        foreach (var violation in violations)
        {
            metrics.Violations.Add(1,
                new KeyValuePair<string, object?>("tenant", violation.Tenant),
                new KeyValuePair<string, object?>("rule_id", violation.RuleId),
                new KeyValuePair<string, object?>("severity", ViolationSignature.SeverityName(violation.Severity)));
            try
            {
                exporter.Publish(violation);
            }
            catch (ArgumentException ex)
            {
                LogNotExported(ex, violation.ViolationId);
            }
        }
        foreach (var tenant in violations.GroupBy(v => v.Tenant))
        {
            await grains.GetGrain<IViolationLogGrain>(tenant.Key).Record(tenant.ToArray());
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Violation {ViolationId} could not be exported as a span")]
    private partial void LogNotExported(Exception exception, string violationId);
}
