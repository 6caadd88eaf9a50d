using BeTrace.Grains.Interfaces.Violations;

namespace BeTrace.Grains.Violations;

/// <summary>Where detected violations go: the OTLP violation span, the metrics and the tenant's recent log.</summary>
public interface IViolationSink
{
    Task Publish(IReadOnlyList<ViolationRecord> violations);
}
