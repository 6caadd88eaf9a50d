namespace BeTrace.Dsl.Evaluation;

/// <summary>Which line of dsl.md 8.1 decided a violation.</summary>
public enum ViolationReason : byte
{
    None = 0,

    /// <summary>A rule with only <c>when</c>, and <c>when</c> held.</summary>
    Detection = 1,

    /// <summary><c>when</c> held and <c>always</c> did not.</summary>
    AlwaysFailed = 2,

    /// <summary><c>when</c> held, <c>always</c> was absent or held, and <c>never</c> held.</summary>
    NeverHeld = 3,
}

/// <summary>
/// The result of evaluating one rule against one trace. Witnesses are positions in the trace's span list,
/// -1 when there is none (dsl.md 8.10). A struct, so evaluation allocates nothing.
/// </summary>
public readonly record struct Verdict(bool Violated, int WhenWitness, int NeverWitness, ViolationReason Reason = ViolationReason.None)
{
    public static Verdict NoViolation => new(false, -1, -1);
}
