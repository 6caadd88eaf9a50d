using System.Globalization;
using System.Text;
using System.Text.Json;

namespace BeTrace.Console.Tests;

/// <summary>`betrace replay`: rules from a YAML pack or a rule file against recorded OTLP/JSON lines, no cluster.</summary>
public sealed class ReplayCommandTests : IDisposable
{
    private const string Pack = """
        pack: replay
        rules:
          - id: fraud
            name: Fraud check
            severity: high
            expression: when { payment.where(amount > 1000) } always { fraud_check }
          - id: retry-storm
            name: Retry storm
            severity: low
            expression: when { count(http.retry) > 2 }
        """;

    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>One OTLP/JSON export request (one line of the Collector's file exporter) with the given spans of one trace.</summary>
    private static string Request(string traceId, params (string SpanId, string Name, long Amount)[] spans)
    {
        var items = spans.Select(s =>
            $$$"""{"traceId":"{{{traceId}}}","spanId":"{{{s.SpanId}}}","name":"{{{s.Name}}}","kind":1,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000001000000","attributes":[{"key":"amount","value":{"intValue":"{{{s.Amount}}}"}}]}""");
        return $$$"""{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}}]},"scopeSpans":[{"scope":{"name":"app"},"spans":[{{{string.Join(',', items)}}}]}]}]}""";
    }

    private static string TraceId(int n) => n.ToString("x32", CultureInfo.InvariantCulture);

    [Fact]
    public void A_pack_replayed_over_otlp_lines_reports_which_traces_violate_which_rules()
    {
        var lines = new[]
        {
            // Trace 1: a large payment whose fraud check arrives two requests later: the same trace, not a violation.
            Request(TraceId(1), ("0000000000000011", "payment", 5000)),
            Request(TraceId(2), ("0000000000000021", "payment", 9000)),
            Request(TraceId(1), ("0000000000000012", "fraud_check", 0)),
            Request(TraceId(3), ("0000000000000031", "http.retry", 0), ("0000000000000032", "http.retry", 0), ("0000000000000033", "http.retry", 0)),
        };
        var result = BetraceProcess.Run(null, "replay", "--rules", _files.Write("pack.yaml", Pack), "--traces", _files.Write("traces.jsonl", string.Join('\n', lines)));
        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal(
            $"trace {TraceId(2)}: VIOLATION of 'fraud' (HIGH, 1 spans); when witness span 0000000000000021 'payment'\n"
            + $"trace {TraceId(3)}: VIOLATION of 'retry-storm' (LOW, 3 spans); when witness span 0000000000000031 'http.retry'\n"
            + "\n"
            + "RULE         SEVERITY  VIOLATING TRACES\n"
            + "fraud        HIGH      1\n"
            + "retry-storm  LOW       1\n",
            result.Stdout);
        Assert.Contains("replay: done: 4 lines, 6 spans, 3 traces, 2 violations of 2 rules, 0 unreadable lines", result.Stderr, StringComparison.Ordinal);

        var json = BetraceProcess.Run(null, "replay", "--json", "--rules", _files.Write("pack.yaml", Pack), "--traces", _files.Write("traces.jsonl", string.Join('\n', lines)));
        var first = JsonDocument.Parse(json.Stdout.Split('\n')[0]).RootElement;
        Assert.Equal(TraceId(2), first.GetProperty("trace_id").GetString());
        Assert.Equal("fraud", first.GetProperty("rule_id").GetString());
    }

    [Fact]
    public void A_large_file_is_streamed_with_progress_on_stderr()
    {
        // 3000 traces of two requests each, the second request 10 lines after the first; every 100th trace violates.
        const int traces = 3000;
        var path = Path.Combine(Path.GetDirectoryName(_files.Write("x", ""))!, "large.jsonl");
        using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            for (var line = 0; line < traces * 2; line++)
            {
                var firstHalf = line % 20 < 10;
                var trace = line / 20 * 10 + line % 10;
                writer.WriteLine(firstHalf
                    ? Request(TraceId(trace + 1), ("00000000000000a1", "payment", 5000))
                    : Request(TraceId(trace + 1), ("00000000000000a2", trace % 100 == 0 ? "audit" : "fraud_check", 0)));
            }
        }
        var result = BetraceProcess.Run(null, "replay", "--rules", _files.Write("pack.yaml", Pack), "--traces", path,
            "--window", "50", "--progress-every", "1000");
        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal(traces / 100, result.Stdout.Split('\n').Count(line => line.StartsWith("trace ", StringComparison.Ordinal)));
        Assert.Contains("replay: 1000 lines read, ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("replay: 5000 lines read, ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"replay: done: {traces * 2} lines, {traces * 2} spans, {traces} traces, {traces / 100} violations of 2 rules", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_file_over_clean_traces_exits_0_and_bad_input_is_reported()
    {
        var rule = _files.Write("fraud.betrace", "when { payment.where(amount > 1000) } always { fraud_check }");
        var clean = _files.Write("clean.jsonl", Request(TraceId(1), ("0000000000000001", "payment", 10)) + "\n");
        var ok = BetraceProcess.Run(null, "replay", "--rules", rule, "--traces", clean);
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("fraud  MEDIUM    0", ok.Stdout, StringComparison.Ordinal);

        var broken = _files.Write("broken.jsonl", Request(TraceId(1), ("0000000000000001", "payment", 5000)) + "\n{\"resourceSpans\": [\n");
        var skipped = BetraceProcess.Run(null, "replay", "--rules", rule, "--traces", broken);
        Assert.Equal(2, skipped.ExitCode);
        Assert.Contains($"{broken}:2: skipped: ", skipped.Stderr, StringComparison.Ordinal);
        Assert.Contains("VIOLATION of 'fraud'", skipped.Stdout, StringComparison.Ordinal);

        var invalid = BetraceProcess.Run(null, "replay", "--rules", _files.Write("bad.betrace", "when { payment > 1 }"), "--traces", clean);
        Assert.Equal(1, invalid.ExitCode);
        Assert.Contains("rule 'bad': 1:8: a direct comparison needs span.attribute", invalid.Stderr, StringComparison.Ordinal);
        Assert.Contains("  when { payment > 1 }\n         ^", invalid.Stderr, StringComparison.Ordinal);

        Assert.Equal(2, BetraceProcess.Run(null, "replay", "--traces", clean).ExitCode);
    }
}
