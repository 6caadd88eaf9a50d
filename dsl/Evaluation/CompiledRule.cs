using BeTrace.Dsl.Model;
using BeTrace.Dsl.Syntax;

namespace BeTrace.Dsl.Evaluation;

/// <summary>
/// A rule compiled once into evaluator trees. Immutable and thread-safe: one instance serves every trace.
/// </summary>
public sealed class CompiledRule
{
    private readonly TraceCondition _when;
    private readonly TraceCondition? _always;
    private readonly TraceCondition? _never;

    internal CompiledRule(string text, RuleSyntax syntax, TraceCondition when, TraceCondition? always, TraceCondition? never)
    {
        Text = text;
        Syntax = syntax;
        _when = when;
        _always = always;
        _never = never;
    }

    public string Text { get; }

    public RuleSyntax Syntax { get; }

    /// <summary>A rule with only <c>when</c>: violated whenever <c>when</c> holds.</summary>
    public bool IsDetectionRule => _always is null && _never is null;

    /// <summary>Evaluates the rule (dsl.md 8.1). Never throws for a loaded rule.</summary>
    public Verdict Evaluate(TraceView trace)
    {
        var when = _when.Eval(trace);
        if (when == TraceCondition.False)
        {
            return Verdict.NoViolation;
        }
        var whenWitness = when >= 0 ? when : trace.Count > 0 ? 0 : -1;
        if (IsDetectionRule)
        {
            return new Verdict(true, whenWitness, -1, ViolationReason.Detection);
        }
        if (_always is not null && _always.Eval(trace) == TraceCondition.False)
        {
            return new Verdict(true, whenWitness, -1, ViolationReason.AlwaysFailed);
        }
        if (_never is not null)
        {
            var never = _never.Eval(trace);
            if (never != TraceCondition.False)
            {
                return new Verdict(true, whenWitness, never >= 0 ? never : -1, ViolationReason.NeverHeld);
            }
        }
        return Verdict.NoViolation;
    }
}
