using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Console.Rules;

/// <summary>
/// Imports a pack into a tenant's registry. Every entry is checked first (fields here, the expression by the
/// registry's compiler); then new rules are created and changed ones updated with the version read during the
/// check, so a rule edited meanwhile is refused rather than overwritten.
/// All-or-nothing by default: one invalid entry stores nothing, and a refusal while storing undoes what this import
/// stored. With <c>partial</c>, valid entries are stored whatever happens to the others.
/// </summary>
public sealed class RuleImporter(IRuleRegistryGrain registry)
{
    private sealed record Plan(PackRule Rule, RuleDefinition? Stored, PackRuleIssue? Issue);

    public async Task<ImportReport> ImportAsync(RulePack pack, bool partial, bool dryRun)
    {
        var duplicates = PackRuleCheck.DuplicateIds(pack);
        // One read of the registry: the versions the updates will name.
        var stored = (await registry.List()).ToDictionary(rule => rule.Id, StringComparer.Ordinal);
        var plans = new List<Plan>();
        foreach (var rule in pack.Rules)
        {
            var issue = await PackRuleCheck.CheckAsync(rule, duplicates, registry.Validate);
            plans.Add(new Plan(rule, issue is null ? stored.GetValueOrDefault(rule.Id) : null, issue));
        }
        var invalid = plans.Any(plan => plan.Issue is not null);
        if (dryRun || (invalid && !partial))
        {
            return new ImportReport(plans.Select(plan => Unapplied(plan, dryRun)).ToList(), dryRun);
        }
        return new ImportReport(await ApplyAsync(plans, partial), DryRun: false);
    }

    private static ImportOutcome Unapplied(Plan plan, bool dryRun)
    {
        if (plan.Issue is { } issue)
        {
            return new ImportOutcome(plan.Rule, ImportResult.Invalid, issue.Message, issue);
        }
        if (!dryRun)
        {
            return new ImportOutcome(plan.Rule, ImportResult.Skipped, "valid; not stored because the pack has invalid rules");
        }
        return Intended(plan) switch
        {
            ImportResult.Created => new ImportOutcome(plan.Rule, ImportResult.Created, "would be created (dry run)"),
            ImportResult.Updated => new ImportOutcome(plan.Rule, ImportResult.Updated, $"would be updated from version {plan.Stored!.Version} (dry run)"),
            _ => new ImportOutcome(plan.Rule, ImportResult.Unchanged, "already stored as in the pack"),
        };
    }

    private static ImportResult Intended(Plan plan) =>
        plan.Stored is null ? ImportResult.Created : plan.Rule.SameAs(plan.Stored) ? ImportResult.Unchanged : ImportResult.Updated;

    private async Task<List<ImportOutcome>> ApplyAsync(List<Plan> plans, bool partial)
    {
        var outcomes = new ImportOutcome?[plans.Count];
        var applied = new List<(int Index, RuleDefinition? Before, RuleDefinition After)>();
        for (var i = 0; i < plans.Count; i++)
        {
            var plan = plans[i];
            if (plan.Issue is { } issue)
            {
                outcomes[i] = new ImportOutcome(plan.Rule, ImportResult.Invalid, issue.Message, issue);
                continue;
            }
            var intended = Intended(plan);
            if (intended == ImportResult.Unchanged)
            {
                outcomes[i] = new ImportOutcome(plan.Rule, ImportResult.Unchanged, $"already stored as in the pack (version {plan.Stored!.Version})");
                continue;
            }
            var change = intended == ImportResult.Created
                ? await registry.Create(plan.Rule.ToDraft())
                : await registry.Update(plan.Rule.ToDraft(plan.Stored!.Enabled), plan.Stored.Version);
            if (change.Error is { } error)
            {
                outcomes[i] = new ImportOutcome(plan.Rule, ImportResult.Failed, error.ToString(), new PackRuleIssue(error.ToString(), error));
                if (!partial)
                {
                    await RollBackAsync(plans, applied, outcomes);
                    break;
                }
                continue;
            }
            applied.Add((i, plan.Stored, change.Rule!));
            outcomes[i] = new ImportOutcome(plan.Rule, intended, intended == ImportResult.Created
                ? $"created (version {change.Rule!.Version})"
                : $"updated from version {plan.Stored!.Version} to {change.Rule!.Version}");
        }
        return outcomes.Select((outcome, i) => outcome
            ?? new ImportOutcome(plans[i].Rule, ImportResult.Skipped, "valid; not stored because an earlier rule was refused")).ToList();
    }

    /// <summary>Undoes this import's changes, newest first: deletes what it created and restores what it updated.</summary>
    private async Task RollBackAsync(List<Plan> plans, List<(int Index, RuleDefinition? Before, RuleDefinition After)> applied, ImportOutcome?[] outcomes)
    {
        foreach (var (index, before, after) in Enumerable.Reverse(applied))
        {
            var undo = before is null
                ? await registry.Delete(after.Id)
                : await registry.Update(PackRule.From(before).ToDraft(), after.Version);
            outcomes[index] = undo.Succeeded
                ? new ImportOutcome(plans[index].Rule, ImportResult.RolledBack, "stored, then undone because another rule of the pack was refused")
                : new ImportOutcome(plans[index].Rule, ImportResult.Failed, $"stored, and could not be undone: {undo.Error}");
        }
    }
}
