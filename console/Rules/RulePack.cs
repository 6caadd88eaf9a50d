namespace BeTrace.Console.Rules;

/// <summary>A rule pack: a named set of rules kept in one YAML file (docs/console.md, "Rule packs").</summary>
public sealed record RulePack(string? Name, string? Description, IReadOnlyList<PackRule> Rules);
