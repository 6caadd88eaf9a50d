using System.Text.Json;
using BeTrace.Dsl.Evaluation;
using BeTrace.Dsl.Model;
using BeTrace.Dsl.Traces;

namespace BeTrace.Console.Conformance;

/// <summary>
/// One corpus row judged from its <c>rule</c> (and <c>spans</c>) only, never from <c>want</c>
/// (shared/conformance/README.md, runner contract).
/// </summary>
public sealed record ConformanceResult(string Id, string Result, string? Detail);

public static class ConformanceCase
{
    /// <exception cref="TraceFormatException">The row is not a corpus row.</exception>
    public static ConformanceResult Run(JsonElement row)
    {
        var id = row.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String
            ? idElement.GetString()!
            : throw new TraceFormatException("the row has no string 'id'");
        if (!row.TryGetProperty("rule", out var ruleElement) || ruleElement.ValueKind != JsonValueKind.String)
        {
            throw new TraceFormatException($"row {id} has no string 'rule'");
        }
        var isEval = row.TryGetProperty("spans", out var spansElement);
        var rule = ruleElement.GetString()!;
        if (!RuleCompiler.TryCompile(rule, out var compiled, out var error))
        {
            return new ConformanceResult(id, "error", error!.ToString());
        }
        if (!isEval)
        {
            return new ConformanceResult(id, "ok", null);
        }
        var trace = new TraceView(CorpusTraceReader.ReadSpans(spansElement));
        var verdict = compiled!.Evaluate(trace);
        if (!verdict.Violated)
        {
            return new ConformanceResult(id, "no_violation", null);
        }
        var detail = verdict.WhenWitness >= 0 ? $"witness {trace.Spans[verdict.WhenWitness].SpanId}" : "no witness";
        if (verdict.NeverWitness >= 0)
        {
            detail += $", never witness {trace.Spans[verdict.NeverWitness].SpanId}";
        }
        return new ConformanceResult(id, "violation", detail);
    }
}
