namespace BeTrace.Grains.Interfaces.Rules;

/// <summary>Why a rule change was refused. <see cref="Line"/>/<see cref="Column"/> are set for DSL errors.</summary>
[GenerateSerializer, Immutable, Alias("betrace.RuleError")]
public sealed record RuleError(
    [property: Id(0)] RuleErrorCode Code,
    [property: Id(1)] string Message,
    [property: Id(2)] int Line = 0,
    [property: Id(3)] int Column = 0)
{
    public override string ToString() => Line > 0 ? $"{Line}:{Column}: {Message}" : Message;
}
