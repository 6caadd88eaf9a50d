namespace BeTrace.Grains.Interfaces.Violations;

/// <summary>
/// Attribute names of the violation span contract (docs/violations.md). The signed fields are the
/// <c>betrace.violation.*</c> string attributes other than the signature, see <see cref="Signed"/>.
/// </summary>
public static class ViolationAttributes
{
    /// <summary>Span name of every violation span.</summary>
    public const string SpanName = "betrace.violation";

    /// <summary>Boolean, always <c>true</c>: marks the span as a BeTrace violation.</summary>
    /// <summary>
    /// The instrumentation scope of violation spans. Gateways ignore spans of this scope, so violations that are
    /// routed back (e.g. a Collector fanning all traces out to BeTrace too) are never evaluated as application spans.
    /// </summary>
    public const string InstrumentationScope = "BeTrace.Violations";

    public const string Violation = "betrace.violation";

    /// <summary>String: unique id of this violation.</summary>
    public const string Id = "betrace.violation.id";

    /// <summary>String: id of the violated rule.</summary>
    public const string RuleId = "betrace.violation.rule_id";

    /// <summary>String: name of the violated rule.</summary>
    public const string RuleName = "betrace.violation.rule_name";

    /// <summary>String: LOW, MEDIUM, HIGH or CRITICAL.</summary>
    public const string Severity = "betrace.violation.severity";

    /// <summary>String: human-readable description of what was violated.</summary>
    public const string Message = "betrace.violation.message";

    /// <summary>String: the offending trace id, 32 lowercase hex digits (also the span's own trace id).</summary>
    public const string TraceId = "betrace.violation.trace_id";

    /// <summary>String: the tenant the trace and the rule belong to.</summary>
    public const string Tenant = "betrace.violation.tenant";

    /// <summary>String: lowercase hex HMAC-SHA256 over the canonical form of the signed fields.</summary>
    public const string Signature = "betrace.violation.signature";

    /// <summary>Boolean: false when the trace was incomplete at evaluation (no root, or a dangling parent).</summary>
    public const string TraceComplete = "betrace.trace.complete";

    /// <summary>String, only when the rule has one: compliance framework (e.g. SOC2).</summary>
    public const string ComplianceFramework = "compliance.framework";

    /// <summary>String, only when the rule has one: compliance control (e.g. CC6.1).</summary>
    public const string ComplianceControl = "compliance.control";

    /// <summary>
    /// The signed fields, in ordinal order of their names (the order of the canonical form).
    /// </summary>
    public static IReadOnlyList<string> Signed { get; } =
    [
        Id,
        Message,
        RuleId,
        RuleName,
        Severity,
        Tenant,
        TraceId,
    ];
}
