using BeTrace.Console.Rules;
using BeTrace.Grains.Interfaces.Violations;

namespace BeTrace.Console.Violations;

/// <summary>
/// A violation as <c>violations list --json</c> writes it, one JSON object per line. The signed fields keep the
/// exact text of the record, so <c>violations verify</c> can check the signature from this line alone.
/// </summary>
public sealed record ViolationView(
    string ViolationId,
    string Tenant,
    string RuleId,
    string RuleName,
    string Severity,
    string Message,
    string TraceId,
    string? WitnessSpanId,
    string? NeverWitnessSpanId,
    bool TraceComplete,
    string? ComplianceFramework,
    string? ComplianceControl,
    DateTimeOffset DetectedAt,
    string Signature)
{
    public static ViolationView From(ViolationRecord record) => new(
        record.ViolationId, record.Tenant, record.RuleId, record.RuleName, SeverityText.Name(record.Severity),
        record.Message, record.TraceId, record.WitnessSpanId, record.NeverWitnessSpanId, record.TraceComplete,
        record.ComplianceFramework, record.ComplianceControl, record.DetectedAt, record.Signature);

    /// <summary>The JSON names of the signed fields, keyed by their span attribute names.</summary>
    public static IReadOnlyDictionary<string, string> SignedJsonNames { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ViolationAttributes.Id] = "violation_id",
        [ViolationAttributes.RuleId] = "rule_id",
        [ViolationAttributes.RuleName] = "rule_name",
        [ViolationAttributes.Severity] = "severity",
        [ViolationAttributes.Message] = "message",
        [ViolationAttributes.TraceId] = "trace_id",
        [ViolationAttributes.Tenant] = "tenant",
    };

    public const string SignatureJsonName = "signature";
}
