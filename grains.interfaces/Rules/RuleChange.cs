namespace BeTrace.Grains.Interfaces.Rules;

/// <summary>The outcome of a rule change: the stored rule, or the error and nothing stored.</summary>
[GenerateSerializer, Immutable, Alias("betrace.RuleChange")]
public sealed record RuleChange([property: Id(0)] RuleDefinition? Rule, [property: Id(1)] RuleError? Error)
{
    public bool Succeeded => Error is null;

    public static RuleChange Ok(RuleDefinition rule) => new(rule, null);

    public static RuleChange Fail(RuleErrorCode code, string message, int line = 0, int column = 0) =>
        new(null, new RuleError(code, message, line, column));
}
