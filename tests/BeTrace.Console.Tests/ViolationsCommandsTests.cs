using System.Text.Json;
using System.Text.Json.Nodes;
using BeTrace.Grains.Interfaces.Spans;
using Google.Protobuf;
using static BeTrace.Console.Tests.Spans;

namespace BeTrace.Console.Tests;

/// <summary>`betrace violations …` after real violating traffic through a real silo process.</summary>
[Collection(EmbeddedSiloCollection.Name)]
public sealed class ViolationsCommandsTests(EmbeddedSilo silo) : IDisposable
{
    private const string FraudRule = "when { payment.where(amount > 1000) } always { fraud_check }";
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    private BetraceProcess.Result Betrace(string tenant, params string[] args) =>
        BetraceProcess.Run(null, [.. args, .. silo.Target(tenant)]);

    private void AddFraudRule(string tenant)
    {
        var added = Betrace(tenant, "rules", "add", "--id", "fraud", "--name", "Fraud check", "--severity", "high", "--expr", FraudRule,
            "--framework", "PCI DSS", "--control", "10.2.1");
        Assert.True(added.ExitCode == 0, added.ToString());
    }

    private Task SendViolatingTrace(string tenant, string traceId) =>
        silo.SendAsync(tenant, traceId, Span(1, 0, "checkout"), Span(2, 1, "payment", ("amount", WireValue.Of(5000L))));

    private Task SendCleanTrace(string tenant, string traceId) =>
        silo.SendAsync(tenant, traceId, Span(1, 0, "payment", ("amount", WireValue.Of(5000L))), Span(2, 1, "fraud_check"));

    [Fact]
    public async Task List_shows_the_violations_of_violating_traffic_and_verify_accepts_good_signatures_and_rejects_tampered_ones()
    {
        AddFraudRule("t-list");
        var violating = NewTraceId();
        await SendViolatingTrace("t-list", violating);
        await SendCleanTrace("t-list", NewTraceId());
        await silo.WaitForViolationsAsync("t-list", 1);

        var table = Betrace("t-list", "violations", "list");
        Assert.True(table.ExitCode == 0, table.ToString());
        var lines = table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("DETECTED              SEVERITY  RULE   TRACE", lines[0], StringComparison.Ordinal);
        Assert.Contains($"  HIGH      fraud  {violating}  0000000000000002  yes       PCI DSS 10.2.1  yes", lines[1], StringComparison.Ordinal);

        var json = Betrace("t-list", "violations", "list", "--json", "--rule", "fraud", "--severity", "high", "--since", "10m", "--limit", "5");
        Assert.True(json.ExitCode == 0, json.ToString());
        var line = Assert.Single(json.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using (var record = JsonDocument.Parse(line))
        {
            Assert.Equal(violating, record.RootElement.GetProperty("trace_id").GetString());
            Assert.Equal("HIGH", record.RootElement.GetProperty("severity").GetString());
            Assert.Equal(64, record.RootElement.GetProperty("signature").GetString()!.Length);
        }
        Assert.Equal("no violations for tenant 't-list'\n", Betrace("t-list", "violations", "list", "--severity", "critical").Stdout);
        Assert.Equal("", Betrace("t-list", "violations", "list", "--json", "--rule", "other").Stdout);

        var good = BetraceProcess.Run(json.Stdout, "violations", "verify", "--key-file", silo.SigningKeyFile);
        Assert.True(good.ExitCode == 0, good.ToString());
        Assert.Contains("1 of 1 violations verified", good.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("ok ", good.Stdout.Split('\n')[1], StringComparison.Ordinal);

        var tampered = JsonNode.Parse(line)!;
        tampered["severity"] = "LOW";
        var bad = BetraceProcess.Run(tampered.ToJsonString(), "violations", "verify", "--key-file", silo.SigningKeyFile);
        Assert.Equal(7, bad.ExitCode);
        Assert.Contains("FAILED", bad.Stdout, StringComparison.Ordinal);
        Assert.Contains("signature does not match", bad.Stdout, StringComparison.Ordinal);

        var wrongKey = BetraceProcess.RunWith(new Dictionary<string, string> { ["BETRACE_SIGNING_KEY"] = "not-the-key" }, json.Stdout, "violations", "verify", "--json");
        Assert.Equal(7, wrongKey.ExitCode);
        Assert.Contains("\"result\":\"mismatch\"", wrongKey.Stdout, StringComparison.Ordinal);

        var noKey = BetraceProcess.Run(json.Stdout, "violations", "verify");
        Assert.Equal(2, noKey.ExitCode);
        Assert.Contains("no signing key", noKey.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_reads_exported_violation_spans_as_otlp_json()
    {
        AddFraudRule("t-otlp");
        var violating = NewTraceId();
        await SendViolatingTrace("t-otlp", violating);
        await silo.Receiver.WaitForSpanAsync(span => span.TraceId == violating, TimeSpan.FromSeconds(60));

        // The Collector's file exporter writes one OTLP/JSON request per line.
        var requests = silo.Receiver.Requests
            .Where(request => request.ResourceSpans.SelectMany(r => r.ScopeSpans).SelectMany(s => s.Spans)
                .Any(span => Convert.ToHexStringLower(span.TraceId.Span) == violating))
            .Select(request => JsonFormatter.Default.Format(request))
            .ToList();
        var exported = _files.Write("violations.otlp.jsonl", string.Join('\n', requests) + "\n");
        var good = BetraceProcess.Run(null, "violations", "verify", exported, "--key-file", silo.SigningKeyFile);
        Assert.True(good.ExitCode == 0, good.ToString());
        Assert.Contains($"fraud  {violating}", good.Stdout, StringComparison.Ordinal);

        var tampered = _files.Write("tampered.otlp.jsonl", File.ReadAllText(exported).Replace("Fraud check", "Fraud chekc", StringComparison.Ordinal));
        var bad = BetraceProcess.Run(null, "violations", "verify", tampered, "--key-file", silo.SigningKeyFile);
        Assert.Equal(7, bad.ExitCode);
        Assert.Contains("signature does not match", bad.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tail_prints_new_violations_as_they_come_and_stops_on_ctrl_c()
    {
        AddFraudRule("t-tail");
        using var tail = BetraceProcess.Start(["violations", "tail", "--interval", "0.2", "--limit", "0", .. silo.Target("t-tail")]);
        await tail.WaitForAsync(t => t.Stderr.Contains("following violations of tenant 't-tail'", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "start following");

        var first = NewTraceId();
        await SendViolatingTrace("t-tail", first);
        await tail.WaitForAsync(t => t.Stdout.Contains(first, StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the first violation");
        var second = NewTraceId();
        await SendViolatingTrace("t-tail", second);
        await tail.WaitForAsync(t => t.Stdout.Contains(second, StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the second violation");

        Assert.Equal(0, await tail.InterruptAsync(TimeSpan.FromSeconds(30)));
        var lines = tail.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains($"HIGH      fraud  trace {first}  witness 0000000000000002", lines[0], StringComparison.Ordinal);
        Assert.Contains(second, lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_with_a_stored_rule_fetches_its_expression_and_evaluates_locally()
    {
        AddFraudRule("t-replay");
        var traces = _files.Write("traces.jsonl", """
            [{"name": "payment", "attributes": {"amount": 5000}, "span_id": "p1", "trace_id": "a1"}]
            [{"name": "payment", "attributes": {"amount": 5}, "span_id": "p2", "trace_id": "a2"}]
            """);
        var result = Betrace("t-replay", "replay", "--rule", "fraud", "--traces", traces);
        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("replay: fetched the expression of rule 'fraud' (version 1) from tenant 't-replay'; evaluation is local", result.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("trace a1: VIOLATION of 'fraud' (HIGH, 1 spans); when witness span p1 'payment'\n", result.Stdout, StringComparison.Ordinal);

        var missing = Betrace("t-replay", "replay", "--rule", "nope", "--traces", traces);
        Assert.Equal(5, missing.ExitCode);
    }
}
