namespace BeTrace.Grains.Interfaces.Rules;

/// <summary>What a user submits to create or update a rule; the registry stamps times and versions.</summary>
[GenerateSerializer, Immutable, Alias("betrace.RuleDraft")]
public sealed record RuleDraft(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Expression,
    [property: Id(3)] Severity Severity = Severity.Medium,
    [property: Id(4)] string Description = "",
    [property: Id(5)] bool Enabled = true,
    [property: Id(6)] string[]? Tags = null,
    [property: Id(7)] string? ComplianceFramework = null,
    [property: Id(8)] string? ComplianceControl = null);
