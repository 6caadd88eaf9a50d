using BeTrace.Console.Output;
using BeTrace.Console.Rules;
using BeTrace.Grains.Interfaces.Violations;

namespace BeTrace.Console.Violations;

/// <summary>One violation on one line, for output that streams and so cannot be a table.</summary>
public static class ViolationLine
{
    public static string Text(ViolationRecord v) =>
        $"{TimeText.Utc(v.DetectedAt)}  {SeverityText.Name(v.Severity),-8}  {v.RuleId}  trace {v.TraceId}"
        + (v.WitnessSpanId is null ? "" : $"  witness {v.WitnessSpanId}")
        + (v.TraceComplete ? "" : "  (incomplete trace)")
        + $"  {v.Message.Replace('\n', ' ')}";
}
