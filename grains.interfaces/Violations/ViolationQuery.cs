using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Grains.Interfaces.Violations;

/// <summary>Filters for listing recent violations; null fields do not filter.</summary>
[GenerateSerializer, Immutable, Alias("betrace.ViolationQuery")]
public sealed record ViolationQuery(
    [property: Id(0)] string? RuleId = null,
    [property: Id(1)] Severity? MinimumSeverity = null,
    [property: Id(2)] DateTimeOffset? Since = null,
    [property: Id(3)] int Limit = 100);
