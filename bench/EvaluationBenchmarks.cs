using BenchmarkDotNet.Attributes;
using BeTrace.Dsl.Evaluation;
using BeTrace.Dsl.Model;

namespace BeTrace.Bench;

/// <summary>
/// Steady-state evaluation: the 100 <see cref="TypicalRules"/> against the 50-span <see cref="TypicalTrace"/>.
/// One operation of <see cref="EvaluateAllRules"/> is 100 rule evaluations; <see cref="BuildTraceView"/> is the
/// once-per-trace name index.
/// </summary>
[MemoryDiagnoser]
public class EvaluationBenchmarks
{
    private CompiledRule[] _rules = [];
    private TraceView _trace = null!;
    private IReadOnlyList<Span> _spans = [];

    [GlobalSetup]
    public void Setup()
    {
        _rules = TypicalRules.CompileAll();
        _spans = TypicalTrace.BuildSpans();
        _trace = new TraceView(_spans);
        // Also warms the lazily made attribute texts, so the measured evaluations are the steady state.
        TypicalRules.CheckMix(_rules, _trace);
    }

    /// <summary>Evaluates all 100 rules; returns how many are violated.</summary>
    [Benchmark]
    public int EvaluateAllRules()
    {
        var violated = 0;
        foreach (var rule in _rules)
        {
            if (rule.Evaluate(_trace).Violated)
            {
                violated++;
            }
        }
        return violated;
    }

    /// <summary>Builds the trace's name index for the 50 spans.</summary>
    [Benchmark]
    public TraceView BuildTraceView() => new(_spans);
}
