using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Console.Rules;

/// <summary>Why a pack entry cannot be stored: its message, and the compiler's error when the expression is at fault.</summary>
public sealed record PackRuleIssue(string Message, RuleError? Error = null);

/// <summary>
/// The checks a pack entry must pass before it is stored, in the registry's order: the entry itself, a unique id,
/// the field limits, then the expression through <paramref name="validate"/> (the cluster's compiler, or the local
/// one offline).
/// </summary>
public static class PackRuleCheck
{
    public static async Task<PackRuleIssue?> CheckAsync(PackRule rule, ISet<string> duplicateIds, Func<string, Task<RuleError?>> validate)
    {
        if (rule.Problem is not null)
        {
            return new PackRuleIssue(rule.Problem);
        }
        if (duplicateIds.Contains(rule.Id))
        {
            return new PackRuleIssue($"id '{rule.Id}' appears more than once in the pack");
        }
        if (RuleLimits.CheckFields(rule.ToDraft())?.Message is { } field)
        {
            return new PackRuleIssue(field);
        }
        return await validate(rule.Expression) is { } error ? new PackRuleIssue(error.ToString(), error) : null;
    }

    public static HashSet<string> DuplicateIds(RulePack pack) => pack.Rules
        .Where(rule => rule.Id.Length > 0)
        .GroupBy(rule => rule.Id, StringComparer.Ordinal)
        .Where(group => group.Count() > 1)
        .Select(group => group.Key)
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>The issue in full: for an expression error, the message with the rule line and a caret.</summary>
    public static string Describe(PackRuleIssue issue, PackRule rule) =>
        issue.Error is { } error ? RuleErrorText.Format(error, rule.Expression) : issue.Message;
}
