using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Grains.Interfaces.Violations;

/// <summary>One violation as the recent-violations log keeps it; the fields of the violation span.</summary>
[GenerateSerializer, Immutable, Alias("betrace.ViolationRecord")]
public sealed record ViolationRecord(
    [property: Id(0)] string ViolationId,
    [property: Id(1)] string Tenant,
    [property: Id(2)] string RuleId,
    [property: Id(3)] string RuleName,
    [property: Id(4)] Severity Severity,
    [property: Id(5)] string Message,
    [property: Id(6)] string TraceId,
    [property: Id(7)] string? WitnessSpanId,
    [property: Id(8)] string? NeverWitnessSpanId,
    [property: Id(9)] bool TraceComplete,
    [property: Id(10)] string? ComplianceFramework,
    [property: Id(11)] string? ComplianceControl,
    [property: Id(12)] DateTimeOffset DetectedAt,
    [property: Id(13)] string Signature);
