using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Console.Rules;

/// <summary>A stored rule as <c>--json</c> shows it (snake_case, severity in upper case as in violations).</summary>
public sealed record RuleView(
    string Id,
    string Name,
    string Description,
    string Severity,
    bool Enabled,
    string[] Tags,
    string? ComplianceFramework,
    string? ComplianceControl,
    string Expression,
    long Version,
    DateTimeOffset Created,
    DateTimeOffset Updated)
{
    public static RuleView From(RuleDefinition rule) => new(
        rule.Id, rule.Name, rule.Description, SeverityText.Name(rule.Severity), rule.Enabled, rule.Tags,
        rule.ComplianceFramework, rule.ComplianceControl, rule.Expression, rule.Version, rule.Created, rule.Updated);
}
