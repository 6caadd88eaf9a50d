using BenchmarkDotNet.Attributes;
using BeTrace.Dsl.Lexing;
using BeTrace.Dsl.Syntax;

namespace BeTrace.Bench;

/// <summary>
/// Where loading a rule spends its time: tokenising alone (<see cref="Lexer"/>) against tokenising + parsing +
/// validating (<see cref="RuleParser"/>); <see cref="CompileBenchmarks"/> adds the compile step.
/// </summary>
[MemoryDiagnoser]
public class LoadStageBenchmarks
{
    private string _largeRule = string.Empty;

    [GlobalSetup]
    public void Setup() => _largeRule = CompileBenchmarks.BuildLargeRule(RuleParser.MaxRuleBytes);

    [Benchmark]
    public IReadOnlyList<Token> TokenizePaymentRule() => Lexer.Tokenize(CompileBenchmarks.PaymentRule);

    [Benchmark]
    public RuleSyntax ParsePaymentRule() => RuleParser.Parse(CompileBenchmarks.PaymentRule);

    [Benchmark]
    public IReadOnlyList<Token> TokenizeLargeRule() => Lexer.Tokenize(_largeRule);
}
