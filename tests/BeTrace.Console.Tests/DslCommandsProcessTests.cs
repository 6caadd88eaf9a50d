using System.Text.Json;

namespace BeTrace.Console.Tests;

/// <summary>The offline `betrace dsl` commands, driven as a separate process with real files.</summary>
public sealed class DslCommandsProcessTests : IDisposable
{
    private const string PaymentRule = """
        // every payment over 1000 is checked for fraud
        when { payment.where(amount > 1000) }
        always { fraud_check }
        """;

    private const string ViolatingSpans = """
        [{"name": "payment", "service": "checkout", "status": "OK", "duration_ms": 12.5,
          "attributes": {"amount": 5000}, "span_id": "p1", "parent_span_id": null, "trace_id": "t1"}]
        """;

    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Check_accepts_a_valid_rule()
    {
        var result = BetraceProcess.Run(null, "dsl", "check", _files.Write("ok.betrace", PaymentRule));
        Assert.Equal(0, result.ExitCode);
        Assert.EndsWith("ok.betrace: ok\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_shows_the_error_with_the_rule_line_and_a_caret()
    {
        var result = BetraceProcess.Run(null, "dsl", "check", _files.Write("bad.betrace", "when { payment }\nalways { fraud_check && x }"));
        Assert.Equal(1, result.ExitCode);
        var lines = result.Stdout.Split('\n');
        Assert.EndsWith("bad.betrace:2:22: unexpected character '&' (write 'and')", lines[0], StringComparison.Ordinal);
        Assert.Equal("  always { fraud_check && x }", lines[1]);
        Assert.Equal("  " + new string(' ', 21) + "^", lines[2]);
    }

    [Fact]
    public void Check_reads_standard_input_for_a_dash()
    {
        var result = BetraceProcess.Run("when { a } always {", "dsl", "check", "-");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("<stdin>:1:20: expected a span name", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_of_a_missing_file_says_so_with_exit_code_2()
    {
        var result = BetraceProcess.Run(null, "dsl", "check", "/nonexistent/rule.betrace");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cannot read /nonexistent/rule.betrace", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_reports_a_violation_with_its_witness()
    {
        var result = BetraceProcess.Run(null, "dsl", "eval", "--rule", _files.Write("r.betrace", PaymentRule),
            "--trace", _files.Write("t.json", ViolatingSpans));
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("trace t1: VIOLATION (1 spans); when witness span p1 'payment'\n", result.Stdout);
    }

    [Fact]
    public void Eval_of_a_clean_trace_exits_0_and_json_output_is_one_object_per_trace()
    {
        const string clean = """
            [{"name": "payment", "service": "checkout", "status": "OK", "duration_ms": 12.5,
              "attributes": {"amount": 5000}, "span_id": "p1", "parent_span_id": null, "trace_id": "t1"},
             {"name": "fraud_check", "service": "fraud", "status": "OK", "duration_ms": 3,
              "attributes": {}, "span_id": "f1", "parent_span_id": "p1", "trace_id": "t1"}]
            """;
        var result = BetraceProcess.Run(null, "dsl", "eval", "--json", "--rule", _files.Write("r.betrace", PaymentRule),
            "--trace", _files.Write("t.json", clean));
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("no_violation", json.RootElement.GetProperty("result").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("spans").GetInt32());
    }

    [Fact]
    public void Eval_reads_otlp_json_lines_as_the_collector_file_exporter_writes_them()
    {
        static string Request(string traceId, string spanId, string name, long amount) =>
            $$$"""{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},"scopeSpans":[{"scope":{"name":"app"},"spans":[{"traceId":"{{{traceId}}}","spanId":"{{{spanId}}}","name":"{{{name}}}","kind":2,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000012500000","attributes":[{"key":"amount","value":{"intValue":"{{{amount}}}"}}],"status":{"code":1}}]}]}]}""";
        var lines = Request("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174", "payment", 5000) + "\n"
            + Request("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "payment", 10) + "\n";
        var result = BetraceProcess.Run(null, "dsl", "eval", "--rule", _files.Write("r.betrace", PaymentRule),
            "--trace", _files.Write("otlp.jsonl", lines));
        Assert.Equal(3, result.ExitCode);
        Assert.Equal(
            "trace 5b8efff798038103d269b633813fc60c: VIOLATION (1 spans); when witness span eee19b7ec3c1b174 'payment'\n"
            + "trace 0af7651916cd43dd8448eb211c80319c: no violation (1 spans)\n",
            result.Stdout);
    }

    [Fact]
    public void Eval_with_malformed_trace_json_names_the_problem()
    {
        var result = BetraceProcess.Run(null, "dsl", "eval", "--rule", _files.Write("r.betrace", PaymentRule),
            "--trace", _files.Write("t.json", "[{\"name\": \"payment\", "));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not valid JSON", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_with_an_invalid_rule_shows_the_compiler_error()
    {
        var result = BetraceProcess.Run(null, "dsl", "eval", "--rule", _files.Write("r.betrace", "when { payment > 1 }"),
            "--trace", _files.Write("t.json", ViolatingSpans));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("1:8: a direct comparison needs span.attribute", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Conformance_prints_one_json_line_per_row_in_order_and_nothing_else()
    {
        var corpus = string.Join('\n',
            """{"id": "p-1", "rule": "when { payment } always { fraud_check }", "want": "ok"}""",
            """{"id": "p-2", "rule": "when { payment.count > 1 }", "want": "error"}""",
            """{"id": "e-1", "rule": "when { a } never { b }", "spans": [{"name": "b", "service": null, "status": null, "duration_ms": 0, "attributes": {}, "span_id": "s0", "parent_span_id": null, "trace_id": "t"}], "want": "no_violation"}""");
        var result = BetraceProcess.Run(null, "dsl", "conformance", _files.Write("c.jsonl", corpus));
        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal("""{"id":"p-1","result":"ok"}""", lines[0]);
        Assert.StartsWith("""{"id":"p-2","result":"error","detail":"1:15: """, lines[1], StringComparison.Ordinal);
        Assert.Equal("""{"id":"e-1","result":"no_violation"}""", lines[2]);
    }

    [Fact]
    public void Unknown_commands_fail_with_usage_help()
    {
        var result = BetraceProcess.Run(null, "dsl", "frobnicate");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("frobnicate", result.Stderr, StringComparison.Ordinal);
    }
}
