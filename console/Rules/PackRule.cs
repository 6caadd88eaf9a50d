using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Console.Rules;

/// <summary>
/// One rule of a pack as written. <see cref="Enabled"/> is null when the pack does not say, so an import keeps a
/// stored rule's state (an operator who disabled it is not overruled by re-importing the pack).
/// <see cref="Problem"/> is set when the entry itself is unusable (missing field, unknown severity).
/// </summary>
public sealed record PackRule(
    string Id,
    string Name,
    string Description,
    Severity Severity,
    string Expression,
    bool? Enabled,
    string[] Tags,
    string? ComplianceFramework,
    string? ComplianceControl,
    RuleExample? Violating,
    RuleExample? Clean,
    int Line,
    string? Problem = null)
{
    /// <summary>The id, or the entry's position when it has none, for reports.</summary>
    public string Label => Id.Length > 0 ? Id : $"(rule at line {Line})";

    public RuleDraft ToDraft(bool enabledWhenUnsaid = true) => new(
        Id, Name, Expression, Severity, Description, Enabled ?? enabledWhenUnsaid, Tags, ComplianceFramework, ComplianceControl);

    public static PackRule From(RuleDefinition rule) => new(
        rule.Id, rule.Name, rule.Description, rule.Severity, rule.Expression, rule.Enabled, rule.Tags,
        rule.ComplianceFramework, rule.ComplianceControl, null, null, 0);

    /// <summary>Whether storing this entry would change <paramref name="stored"/>.</summary>
    public bool SameAs(RuleDefinition stored) =>
        stored.Name == Name
        && stored.Description == Description
        && stored.Severity == Severity
        && stored.Expression == Expression
        && stored.Enabled == (Enabled ?? stored.Enabled)
        && stored.Tags.SequenceEqual(Tags, StringComparer.Ordinal)
        && stored.ComplianceFramework == ComplianceFramework
        && stored.ComplianceControl == ComplianceControl;
}
