using BeTrace.Dsl.Errors;
using BeTrace.Dsl.Evaluation;

namespace BeTrace.Dsl.Tests;

/// <summary>Every rejected rule yields one error at the position dsl.md section 9 prescribes.</summary>
public sealed class ParserErrorTests
{
    public static TheoryData<string, string, string> Errors() => new()
    {
        { "when { a } always { b } always { c }", "1:25", "expected 'never' or end of rule, found 'always'" },
        { "when { payment.count > 1 }", "1:15", "keyword 'count'" },
        { "when { \"GET /x\".path == 1 }", "1:16", "quoted name is complete" },
        { "when { count(p.where(a)) > 1 }", "1:15", "after '.'" },
        { "when { " + new string('(', 257) + "a" + new string(')', 257) + " }", "1:264", "nesting" },
        { "when { " + string.Concat(Enumerable.Repeat("not (", 128)) + "not a" + new string(')', 128) + " }", "1:648", "nesting" },
        { "when { p.where(" + new string('(', 256) + "a" + new string(')', 257) + " }", "1:271", "nesting" },
        { "when { p.where(x > 9223372036854775808) }", "1:20", "64-bit" },
        { "when { p.where(x in [1, 99999999999999999999]) }", "1:21", "64-bit" },
        { "when { p.where(span:duration < 2562048h) }", "1:32", "largest duration" },
        { "when { p.where(span:duration > 9223372036855) }", "1:32", "largest duration" },
        { "when { payment > 0 }", "1:8", "direct comparison needs span.attribute" },
        { "when { \"GET /x\" == 1 }", "1:8", "quoted span name cannot be compared" },
        { "when { p.where(fraud_check.done) }", "1:16", "span reference 'fraud_check.done'" },
        { "when { p.where(amount > count(refund)) }", "1:25", "count(...)" },
        { "when { p.x > count(y) }", "1:14", "count(...)" },
        { "when { p.where(span:foo == 1) }", "1:16", "unknown intrinsic" },
        { "when { p.where(span:status > OK) }", "1:28", "span:status takes only" },
        { "when { p.where(span:status == eror) }", "1:31", "one of UNSET, OK, ERROR" },
        { "when { p.where(span:kind in CLIENT) }", "1:29", "list of names" },
        { "when { p.where(latency > 500ms) }", "1:26", "only be compared with span:duration" },
        { "when { count(db) > 5ms }", "1:20", "duration" },
        { "when { p.where(span:duration in [100ms]) }", "1:34", "list item" },
        { "when { p.where(path matches \"(\") }", "1:29", "invalid regular expression" },
        { "when { p.where(path matches \"(a)\\1\") }", "1:29", "invalid regular expression" },
        { "when { a && b }", "1:10", "unexpected character '&'" },
        { "when { \"abc }", "1:8", "unterminated string" },
        { "when {\r\n  a &&", "2:5", "unexpected character '&'" },
        { "when { \"\U0001F600\" & }", "1:13", "unexpected character '&'" },
        { "when { a }\u000C", "1:11", "U+000C" },
        { "when { p.where(x ==", "1:20", "found end of rule" },
        { "when { not not a }", "1:12", "only one 'not'" },
        { "when { p.where(not not a) }", "1:20", "only one 'not'" },
        { "when { }", "1:8", "found '}'" },
        { "when { p.where() }", "1:16", "found ')'" },
        { "when { p.where(x in []) }", "1:22", "list item" },
        { "when { p.where(x in [a,]) }", "1:24", "list item" },
        { "when { 3 < count(x) }", "1:8", "found '3'" },
        { "when { count(x) }", "1:17", "comparison" },
        { "when { count(a) > count(b) > 1 }", "1:28", "found '>'" },
        { "when { p.where(\"flag\") }", "1:22", "comparison operator" },
        { "when { p.where(span:status) }", "1:27", "comparison operator" },
        { "when { a.b == c.d }", "1:16", "found '.'" },
        { "never { a } when { b }", "1:1", "expected 'when'" },
        { "when { a } never { b } always { c }", "1:24", "found 'always'" },
        { "when { x > 1e3 }", "1:8", "direct comparison" },
        { "when { p.where(x == 5msx) }", "1:22", "found 'msx'" },
        { "when { payment.where }", "1:22", "'(' after 'where'" },
        { "", "1:1", "found end of rule" },
        { "WHEN { a }", "1:1", "expected 'when'" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Rejected_rule_reports_position_and_reason(string rule, string position, string messagePart)
    {
        var error = Assert.Throws<DslException>(() => RuleCompiler.Compile(rule)).Error;
        Assert.Equal(position, error.Position.ToString());
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Size_limit_counts_utf8_bytes_and_allows_exactly_65536()
    {
        const string head = "when { a } //";
        Assert.NotNull(RuleCompiler.Compile(head + new string('x', 65_536 - head.Length)));

        var tooLong = Assert.Throws<DslException>(() => RuleCompiler.Compile(head + new string('x', 65_537 - head.Length))).Error;
        Assert.Equal(DslErrorKind.Size, tooLong.Kind);
        Assert.Equal("1:1", tooLong.Position.ToString());

        // 40,000 'é' are 80,000 UTF-8 bytes, though only 40,000 UTF-16 units.
        var accents = Assert.Throws<DslException>(() => RuleCompiler.Compile(head + new string('é', 40_000))).Error;
        Assert.Equal(DslErrorKind.Size, accents.Kind);
    }

    [Fact]
    public void A_rule_of_several_megabytes_is_rejected_by_size_at_once()
    {
        var error = Assert.Throws<DslException>(() => RuleCompiler.Compile(new string('(', 4_000_000))).Error;
        Assert.Equal(DslErrorKind.Size, error.Kind);
    }

    [Fact]
    public void Deep_nesting_within_the_size_limit_is_an_error_not_a_stack_overflow()
    {
        var rule = "when { " + new string('(', 65_000) + " }";
        var error = Assert.Throws<DslException>(() => RuleCompiler.Compile(rule)).Error;
        Assert.Contains("nesting", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_of_exactly_256_levels_loads()
    {
        var rule = "when { " + new string('(', 256) + "a" + new string(')', 256) + " }";
        Assert.NotNull(RuleCompiler.Compile(rule));
    }

    [Fact]
    public void Caret_is_shown_under_the_error_on_its_line()
    {
        const string rule = "when { payment }\nalways { fraud_check && x }";
        var error = Assert.Throws<DslException>(() => RuleCompiler.Compile(rule)).Error;
        var shown = error.FormatWithCaret(rule).Split('\n');
        Assert.Equal("2:22: unexpected character '&' (write 'and')", shown[0]);
        Assert.Equal("  always { fraud_check && x }", shown[1]);
        Assert.Equal("  " + new string(' ', 21) + "^", shown[2]);
    }
}
