using System.Text;
using BenchmarkDotNet.Attributes;
using BeTrace.Dsl.Evaluation;
using BeTrace.Dsl.Syntax;

namespace BeTrace.Bench;

/// <summary>
/// Loading rules: parse + validate + compile of typical rules, and parse + validate of a rule of almost
/// 64 KiB (dsl.md section 2: "a 64 KiB rule must be parsed in well under 100 ms").
/// </summary>
[MemoryDiagnoser]
public class CompileBenchmarks
{
    /// <summary>The first example of dsl.md section 12.</summary>
    public const string PaymentRule =
        "when { payment.charge.where(amount > 1000).where(currency in [USD, EUR]) } always { fraud_check } never { skip_validation }";

    public const string CountRule =
        "when { count(http.retry) > 3 or count(http.request) != count(http.response) }";

    /// <summary>Intrinsics, a resource key and a regex (the compiled pattern comes from the process-wide cache after the first load).</summary>
    public const string IntrinsicRegexRule =
        "when { http.server.where(span:kind == SERVER and span:duration > 1.5s and resource.deployment.environment == prod and span.http.route matches \"^/api/v[0-9]+/\") } always { incident.created }";

    private string _largeRule = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _largeRule = BuildLargeRule(RuleParser.MaxRuleBytes);
        // Every rule must load, or the figures mean nothing.
        RuleCompiler.Compile(PaymentRule);
        RuleCompiler.Compile(CountRule);
        RuleCompiler.Compile(IntrinsicRegexRule);
        RuleParser.Parse(_largeRule);
    }

    [Benchmark]
    public CompiledRule CompilePaymentRule() => RuleCompiler.Compile(PaymentRule);

    [Benchmark]
    public CompiledRule CompileCountRule() => RuleCompiler.Compile(CountRule);

    [Benchmark]
    public CompiledRule CompileIntrinsicRegexRule() => RuleCompiler.Compile(IntrinsicRegexRule);

    /// <summary>Parse + validate only (no compile) of the largest allowed rule.</summary>
    [Benchmark]
    public RuleSyntax ParseLargeRule() => RuleParser.Parse(_largeRule);

    /// <summary>
    /// A long <c>or</c> chain of where clauses, <c>when { p.where(amount &gt; 1 and currency == USD) or … }</c>,
    /// as long as possible within <paramref name="maxBytes"/> UTF-8 bytes (ASCII, so bytes = chars).
    /// </summary>
    public static string BuildLargeRule(int maxBytes)
    {
        const string Prefix = "when { ";
        const string Suffix = " }";
        var builder = new StringBuilder(Prefix);
        for (var i = 0; ; i++)
        {
            var term = (i == 0 ? string.Empty : " or ")
                + $"payment.charge.where(amount > {i} and currency in [USD, EUR] and \"card.brand\" != amex)";
            if (builder.Length + term.Length + Suffix.Length > maxBytes)
            {
                break;
            }
            builder.Append(term);
        }
        return builder.Append(Suffix).ToString();
    }
}
