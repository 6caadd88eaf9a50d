using BeTrace.Dsl.Evaluation;
using BeTrace.Dsl.Model;

namespace BeTrace.Console.Replay;

/// <summary>A recorded trace that violates a rule, with the witness spans the verdict names.</summary>
public sealed record ReplayViolation(string TraceId, ReplayRule Rule, TraceView Trace, Verdict Verdict)
{
    public Span? WhenWitness => Verdict.WhenWitness >= 0 ? Trace.Spans[Verdict.WhenWitness] : null;

    public Span? NeverWitness => Verdict.NeverWitness >= 0 ? Trace.Spans[Verdict.NeverWitness] : null;
}
