using System.Text.Json;
using BeTrace.Dsl.Evaluation;
using BeTrace.Dsl.Model;
using BeTrace.Dsl.Traces;

namespace BeTrace.Dsl.Tests;

/// <summary>Builds traces from corpus-format JSON, the format the conformance cases use.</summary>
internal static class TraceBuilder
{
    public static TraceView FromJson(string spansJson)
    {
        using var document = JsonDocument.Parse(spansJson);
        return new TraceView(CorpusTraceReader.ReadSpans(document.RootElement));
    }

    /// <summary>One span named <paramref name="name"/> with the given JSON attribute object.</summary>
    public static TraceView OneSpan(string name, string attributesJson = "{}", string extra = "") =>
        FromJson($$"""[{"name": "{{name}}", "service": "svc", "status": null, "duration_ms": 0, "attributes": {{attributesJson}}, "span_id": "s0", "parent_span_id": null, "trace_id": "t"{{extra}}}]""");

    public static Verdict Evaluate(string rule, TraceView trace) => RuleCompiler.Compile(rule).Evaluate(trace);

    public static bool Violates(string rule, TraceView trace) => Evaluate(rule, trace).Violated;
}
