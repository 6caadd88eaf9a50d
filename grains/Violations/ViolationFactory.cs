using System.Security.Cryptography;
using System.Text;
using BeTrace.Dsl.Evaluation;
using BeTrace.Dsl.Model;
using BeTrace.Grains.Catalog;
using BeTrace.Grains.Interfaces.Violations;

namespace BeTrace.Grains.Violations;

/// <summary>Builds the signed violation record for a rule that a trace violated.</summary>
public static class ViolationFactory
{
    public static ViolationRecord Create(
        string tenant,
        TraceView trace,
        string traceIdHex,
        CatalogRule rule,
        Verdict verdict,
        bool traceComplete,
        DateTimeOffset detectedAt,
        string signingKey)
    {
        var definition = rule.Definition;
        var unsigned = new ViolationRecord(
            ViolationId: StableId(tenant, traceIdHex, definition.Id),
            Tenant: tenant,
            RuleId: definition.Id,
            RuleName: definition.Name,
            Severity: definition.Severity,
            Message: Message(definition.Name, verdict.Reason),
            TraceId: traceIdHex,
            WitnessSpanId: verdict.WhenWitness >= 0 ? trace.Spans[verdict.WhenWitness].SpanId : null,
            NeverWitnessSpanId: verdict.NeverWitness >= 0 ? trace.Spans[verdict.NeverWitness].SpanId : null,
            TraceComplete: traceComplete,
            ComplianceFramework: definition.ComplianceFramework,
            ComplianceControl: definition.ComplianceControl,
            DetectedAt: detectedAt,
            Signature: string.Empty);
        // Without a configured key the violation is reported unsigned (the silo host warns about it at start-up).
        return signingKey.Length == 0
            ? unsigned
            : unsigned with { Signature = ViolationSignature.Sign(ViolationSignature.Fields(unsigned), signingKey) };
    }

    /// <summary>The same tenant, trace and rule always give the same id, so a re-detection can be recognised downstream.</summary>
    public static string StableId(string tenant, string traceIdHex, string ruleId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{tenant}\n{traceIdHex}\n{ruleId}"));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    private static string Message(string ruleName, ViolationReason reason) => reason switch
    {
        ViolationReason.Detection => $"{ruleName}: the trace matches this detection rule",
        ViolationReason.AlwaysFailed => $"{ruleName}: 'when' held but 'always' did not",
        ViolationReason.NeverHeld => $"{ruleName}: 'when' held and so did 'never'",
        _ => ruleName,
    };
}
