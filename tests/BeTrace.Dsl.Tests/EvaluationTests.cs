using static BeTrace.Dsl.Tests.TraceBuilder;

namespace BeTrace.Dsl.Tests;

/// <summary>Evaluation semantics of dsl.md section 8, one behaviour per case.</summary>
public sealed class EvaluationTests
{
    [Theory]
    // Missing attributes make every comparison false, != included; not (x == 1) is true.
    [InlineData("when { p.where(x != 1) }", "{}", false)]
    [InlineData("when { p.where(not (x == 1)) }", "{}", true)]
    [InlineData("when { p.where(not x) }", "{}", true)]
    // Numeric strings compare as numbers; decimal only.
    [InlineData("when { p.where(code == 7) }", """{"code": "007"}""", true)]
    [InlineData("when { p.where(code == 16) }", """{"code": "0x10"}""", false)]
    [InlineData("when { p.where(code in [500, 502]) }", """{"code": "502"}""", true)]
    [InlineData("when { p.where(code in [500, 502]) }", """{"code": 502.0}""", true)]
    [InlineData("when { p.where(x > 5) }", """{"x": " 6"}""", false)]
    [InlineData("when { p.where(x > 1000) }", """{"x": "5E3"}""", true)]
    // Ordering: a number against non-numeric text is false both ways.
    [InlineData("when { p.where(x > abc) }", """{"x": 5}""", false)]
    [InlineData("when { p.where(x < abc) }", """{"x": 5}""", false)]
    [InlineData("when { p.where(x < b) }", """{"x": "a"}""", true)]
    // Text order is by code point: U+1F600 sorts after U+FFFD although its UTF-16 units sort before.
    [InlineData("when { p.where(x > \"\uFFFD\") }", """{"x": "\uD83D\uDE00"}""", true)]
    // Booleans: == true / == false match the boolean and the text; == 0 matches neither.
    [InlineData("when { p.where(flag == false) }", """{"flag": false}""", true)]
    [InlineData("when { p.where(flag == false) }", """{"flag": "false"}""", true)]
    [InlineData("when { p.where(flag == 0) }", """{"flag": false}""", false)]
    [InlineData("when { p.where(flag) }", """{"flag": "true"}""", true)]
    [InlineData("when { p.where(flag) }", """{"flag": "True"}""", false)]
    [InlineData("when { p.where(flag) }", """{"flag": 1}""", false)]
    // Text forms: doubles positional and shortest, arrays compact JSON, list literals space-separated.
    [InlineData("when { p.where(x contains \"1000000000000000000000\") }", """{"x": 1e21}""", true)]
    [InlineData("when { p.where(x == \"0.5\") }", """{"x": 0.50}""", true)]
    [InlineData("when { p.where(tags contains \"canary\") }", """{"tags": ["beta", "canary"]}""", true)]
    [InlineData("when { p.where(tags matches \"^\\[.beta.,.canary.\\]$\") }", """{"tags": ["beta", "canary"]}""", true)]
    [InlineData("when { p.where(tags > \"[\") }", """{"tags": ["beta"]}""", true)]
    [InlineData("when { p.where(tags == \"[1,2.5,true,null]\") }", """{"tags": [1, 2.50, true, null]}""", true)]
    [InlineData("when { p.where(x == \"[USD EUR 1.5]\") }", """{"x": "[USD EUR 1.5]"}""", true)]
    [InlineData("when { p.where(x == [USD, \"EUR\", 1.50]) }", """{"x": "[USD EUR 1.5]"}""", true)]
    // in needs a list; quoted items lose their quotes.
    [InlineData("when { p.where(currency in \"USD\") }", """{"currency": "USD"}""", false)]
    [InlineData("when { p.where(currency in [\"USD\", EUR]) }", """{"currency": "USD"}""", true)]
    // contains: the empty text is in every present value; matches is an unanchored search.
    [InlineData("when { p.where(x contains \"\") }", """{"x": 12}""", true)]
    [InlineData("when { p.where(path matches admin) }", """{"path": "/api/admin/x"}""", true)]
    [InlineData("when { p.where(code matches \"^5\") }", """{"code": 503}""", true)]
    [InlineData("when { p.where(x matches \"^$\") }", """{}""", false)]
    // Identifiers on the right are text, never attribute references.
    [InlineData("when { p.where(x == y) }", """{"x": "y", "y": "z"}""", true)]
    [InlineData("when { p.where(x == null) }", """{"x": "null"}""", true)]
    // Direct comparison a.b op v means a.where(b op v).
    [InlineData("when { p.amount > 1000 }", """{"amount": 5000}""", true)]
    public void Filter_semantics(string rule, string attributes, bool violated) =>
        Assert.Equal(violated, Violates(rule, OneSpan("p", attributes)));

    [Theory]
    [InlineData("when { p.where(span:status == error) }", true)]
    [InlineData("when { p.where(span:status in [Ok, \"ERROR\"]) }", true)]
    [InlineData("when { p.where(span:status != ERROR) }", false)]
    [InlineData("when { p.where(span:kind == server) }", true)]
    [InlineData("when { p.where(span:kind in [CLIENT, PRODUCER]) }", false)]
    [InlineData("when { p.where(span:name == p) }", true)]
    [InlineData("when { p.where(span:service == svc) }", true)]
    [InlineData("when { p.where(resource.service.name == svc) }", true)]
    [InlineData("when { p.where(resource.deployment.environment == prod) }", true)]
    [InlineData("when { p.where(span.http.route == \"/x\") }", true)]
    [InlineData("when { p.where(\"http.route\" == \"/x\") }", true)]
    public void Intrinsics_and_prefixed_keys(string rule, bool violated)
    {
        var trace = FromJson("""
            [{"name": "p", "service": "svc", "status": "ERROR", "kind": "SERVER", "duration_ms": 1,
              "attributes": {"http.route": "/x"}, "resource": {"deployment.environment": "prod"},
              "span_id": "s0", "parent_span_id": null, "trace_id": "t"}]
            """);
        Assert.Equal(violated, Violates(rule, trace));
    }

    [Theory]
    [InlineData("span:duration == 1.5s", 1500, true)]
    [InlineData("span:duration == 1500", 1500, true)]
    [InlineData("span:duration == 1500000us", 1500, true)]
    [InlineData("span:duration > 500", 500.000001, true)]
    [InlineData("span:duration > 500", 500, false)]
    [InlineData("span:duration <= 0.25", 0.25, true)]
    [InlineData("span:duration < 0.5ns", 0, true)]
    [InlineData("span:duration <= 0.0000005", 0.000001, false)]
    [InlineData("span:duration == 1.5ns", 0.000002, false)]
    [InlineData("span:duration > 0.5ns", 0.000001, true)]
    [InlineData("span:duration >= 1.0000001ms", 1.0000001, false)]
    [InlineData("span:duration >= 1.0000001ms", 1.000001, true)]
    [InlineData("span:duration in [100, 250]", 250, true)]
    [InlineData("span:duration in [100, 250]", 250.000001, false)]
    [InlineData("span:duration < 2562047h", 1, true)]
    public void Durations_compare_exactly(string filter, double durationMs, bool violated)
    {
        var duration = durationMs.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
        var trace = FromJson($$"""[{"name": "p", "service": null, "status": null, "duration_ms": {{duration}}, "attributes": {}, "span_id": "s0", "parent_span_id": null, "trace_id": "t"}]""");
        Assert.Equal(violated, Violates($"when {{ p.where({filter}) }}", trace));
    }

    private const string ThreeSpans = """
        [{"name": "a", "service": null, "status": null, "duration_ms": 0, "attributes": {"n": 1}, "span_id": "s0", "parent_span_id": null, "trace_id": "t"},
         {"name": "b", "service": null, "status": null, "duration_ms": 0, "attributes": {"n": 2}, "span_id": "s1", "parent_span_id": "s0", "trace_id": "t"},
         {"name": "a", "service": null, "status": null, "duration_ms": 0, "attributes": {"n": 3}, "span_id": "s2", "parent_span_id": "s0", "trace_id": "t"}]
        """;

    [Theory]
    [InlineData("when { count(a) == 2 }", true)]
    [InlineData("when { count(a) > count(b) }", true)]
    [InlineData("when { count(a) > \"1\" }", true)]
    [InlineData("when { count(a) > abc }", false)]
    [InlineData("when { count(a) != abc }", true)]
    [InlineData("when { count(a) == true }", false)]
    [InlineData("when { count(zzz) == 0 }", true)]
    [InlineData("when { not count(a) > 3 }", true)]
    public void Counts(string rule, bool violated) => Assert.Equal(violated, Violates(rule, FromJson(ThreeSpans)));

    [Theory]
    [InlineData("when { a.where(n == 3) }", 2, -1)]
    [InlineData("when { b and a }", 1, -1)]
    [InlineData("when { count(a) > 1 and a.where(n > 1) }", 2, -1)]
    [InlineData("when { zzz or a.where(n == 3) or b }", 2, -1)]
    [InlineData("when { count(a) > 1 }", 0, -1)]
    [InlineData("when { not zzz }", 0, -1)]
    [InlineData("when { b } never { a.where(n == 3) }", 1, 2)]
    [InlineData("when { b } always { zzz } never { a }", 1, -1)]
    public void Witnesses(string rule, int when, int never)
    {
        var verdict = Evaluate(rule, FromJson(ThreeSpans));
        Assert.True(verdict.Violated);
        Assert.Equal(when, verdict.WhenWitness);
        Assert.Equal(never, verdict.NeverWitness);
    }

    [Theory]
    [InlineData("when { b } always { a }", false)]
    [InlineData("when { b } always { zzz }", true)]
    [InlineData("when { b } never { a }", true)]
    [InlineData("when { b } never { zzz }", false)]
    [InlineData("when { zzz } always { zzz }", false)]
    [InlineData("when { b } always { a } never { zzz }", false)]
    [InlineData("when { a.where(n == 1).where(n == 3) }", false)]
    [InlineData("when { a.where(n == 1) and a.where(n == 3) }", true)]
    [InlineData("when { a or b and zzz }", true)]
    [InlineData("when { (a or b) and zzz }", false)]
    public void Rule_results(string rule, bool violated) => Assert.Equal(violated, Violates(rule, FromJson(ThreeSpans)));

    [Fact]
    public void An_empty_trace_is_valid_input()
    {
        var verdict = Evaluate("when { not heartbeat }", FromJson("[]"));
        Assert.True(verdict.Violated);
        Assert.Equal(-1, verdict.WhenWitness);
    }

    [Fact]
    public void Span_names_match_exactly_and_dots_are_characters_of_the_name()
    {
        var trace = OneSpan("payment.charge");
        Assert.True(Violates("when { payment . charge }", trace));
        Assert.False(Violates("when { payment }", trace));
        Assert.False(Violates("when { Payment.charge }", trace));
        Assert.True(Violates("when { \"\" }", OneSpan("")));
    }
}
