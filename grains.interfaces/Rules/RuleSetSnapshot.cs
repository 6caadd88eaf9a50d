namespace BeTrace.Grains.Interfaces.Rules;

/// <summary>A tenant's enabled rules at one registry version: what every silo compiles and holds.</summary>
[GenerateSerializer, Immutable, Alias("betrace.RuleSetSnapshot")]
public sealed record RuleSetSnapshot(
    [property: Id(0)] string Tenant,
    [property: Id(1)] long Version,
    [property: Id(2)] RuleDefinition[] EnabledRules);
