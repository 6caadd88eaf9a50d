namespace BeTrace.Grains.Interfaces.Operations;

/// <summary>One silo as `betrace cluster status` shows it: its address, state and the rule versions it holds.</summary>
[GenerateSerializer, Immutable, Alias("betrace.SiloRuleVersions")]
public sealed record SiloRuleVersions(
    [property: Id(0)] string Silo,
    [property: Id(1)] string Status,
    [property: Id(2)] Dictionary<string, long> RuleVersions,
    [property: Id(3)] string? Error);
