using System.CommandLine;
using System.Text.Json;
using BeTrace.Dsl.Evaluation;
using BeTrace.Dsl.Model;
using BeTrace.Dsl.Traces;

namespace BeTrace.Console.Commands;

/// <summary>
/// <c>betrace dsl eval --rule FILE --trace FILE</c>: evaluates one rule offline against the traces of a file
/// (corpus spans or OTLP/JSON) and prints each trace's verdict and witnesses.
/// </summary>
public static class DslEvalCommand
{
    public static Command Build(CliIo io)
    {
        var rule = new Option<string>("--rule") { Description = "File holding the rule ('-' for standard input).", Required = true };
        var trace = new Option<string>("--trace")
        {
            Description = "Trace file: a JSON array of corpus spans, an OTLP/JSON export request, or OTLP/JSON lines.",
            Required = true,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per trace instead of text." };
        var command = new Command("eval", "Evaluate a rule against recorded traces and print the verdict and witnesses.")
        {
            rule, trace, json,
        };
        command.SetAction(result => DslCommands.Guard(io,
            () => Evaluate(io, result.GetValue(rule)!, result.GetValue(trace)!, result.GetValue(json))));
        return command;
    }

    private static int Evaluate(CliIo io, string rulePath, string tracePath, bool json)
    {
        var ruleText = io.ReadText(rulePath);
        if (!RuleCompiler.TryCompile(ruleText, out var compiled, out var error))
        {
            io.Error.WriteLine($"{rulePath}:{error!.FormatWithCaret(ruleText)}");
            return ExitCodes.InvalidRule;
        }
        IReadOnlyList<TraceView> traces;
        try
        {
            traces = TraceDocument.Read(io.ReadText(tracePath));
        }
        catch (TraceFormatException ex)
        {
            throw new CliInputException($"{tracePath}: {ex.Message}", ex);
        }
        if (traces.Count == 0)
        {
            io.Error.WriteLine($"{tracePath}: no spans; evaluating the rule against an empty trace");
            traces = [new TraceView([])];
        }
        var violations = 0;
        foreach (var trace in traces)
        {
            var verdict = compiled!.Evaluate(trace);
            violations += verdict.Violated ? 1 : 0;
            io.Out.WriteLine(json ? AsJson(trace, verdict) : AsText(trace, verdict));
        }
        return violations > 0 ? ExitCodes.Violation : ExitCodes.Ok;
    }

    private static string TraceId(TraceView trace) => trace.Count > 0 ? trace.Spans[0].TraceId : "(empty)";

    private static string AsText(TraceView trace, Verdict verdict)
    {
        if (!verdict.Violated)
        {
            return $"trace {TraceId(trace)}: no violation ({trace.Count} spans)";
        }
        var line = $"trace {TraceId(trace)}: VIOLATION ({trace.Count} spans)";
        if (verdict.WhenWitness >= 0)
        {
            line += $"; when witness {Describe(trace.Spans[verdict.WhenWitness])}";
        }
        if (verdict.NeverWitness >= 0)
        {
            line += $"; never witness {Describe(trace.Spans[verdict.NeverWitness])}";
        }
        return line;
    }

    private static string Describe(Span span) => $"span {span.SpanId} '{span.Name}'";

    private static string AsJson(TraceView trace, Verdict verdict) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["trace_id"] = TraceId(trace),
        ["spans"] = trace.Count,
        ["result"] = verdict.Violated ? "violation" : "no_violation",
        ["when_witness"] = verdict.WhenWitness >= 0 ? trace.Spans[verdict.WhenWitness].SpanId : null,
        ["never_witness"] = verdict.NeverWitness >= 0 ? trace.Spans[verdict.NeverWitness].SpanId : null,
    });
}
