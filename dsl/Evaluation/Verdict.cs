namespace BeTrace.Dsl.Evaluation;

/// <summary>
/// The result of evaluating one rule against one trace. Witnesses are positions in the trace's span list,
/// -1 when there is none (dsl.md 8.10). A struct, so evaluation allocates nothing.
/// </summary>
public readonly record struct Verdict(bool Violated, int WhenWitness, int NeverWitness)
{
    public static Verdict NoViolation => new(false, -1, -1);
}
