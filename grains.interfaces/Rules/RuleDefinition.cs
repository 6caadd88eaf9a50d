namespace BeTrace.Grains.Interfaces.Rules;

/// <summary>A stored rule. <see cref="Version"/> starts at 1 and grows with every change to the rule.</summary>
[GenerateSerializer, Immutable, Alias("betrace.RuleDefinition")]
public sealed record RuleDefinition(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Description,
    [property: Id(3)] Severity Severity,
    [property: Id(4)] string Expression,
    [property: Id(5)] bool Enabled,
    [property: Id(6)] string[] Tags,
    [property: Id(7)] string? ComplianceFramework,
    [property: Id(8)] string? ComplianceControl,
    [property: Id(9)] DateTimeOffset Created,
    [property: Id(10)] DateTimeOffset Updated,
    [property: Id(11)] long Version);
