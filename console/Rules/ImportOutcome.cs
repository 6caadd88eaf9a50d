namespace BeTrace.Console.Rules;

public enum ImportResult
{
    /// <summary>A new rule was stored (or, with --dry-run, would be).</summary>
    Created,

    /// <summary>A stored rule was changed (or would be).</summary>
    Updated,

    /// <summary>The stored rule already equals the pack's.</summary>
    Unchanged,

    /// <summary>The entry fails a check; nothing of it was stored.</summary>
    Invalid,

    /// <summary>Valid, but not stored because the all-or-nothing import stopped.</summary>
    Skipped,

    /// <summary>The registry refused the change (e.g. someone changed the rule meanwhile).</summary>
    Failed,

    /// <summary>Stored, then undone because a later rule of the same all-or-nothing import failed.</summary>
    RolledBack,
}

/// <summary>What an import did with one rule of the pack.</summary>
public sealed record ImportOutcome(PackRule Rule, ImportResult Result, string Detail, PackRuleIssue? Issue = null);

/// <summary>What an import did with a pack. <see cref="Stored"/> is false when nothing of the pack is stored.</summary>
public sealed record ImportReport(IReadOnlyList<ImportOutcome> Rules, bool DryRun)
{
    public bool Stored => !DryRun && Rules.Any(rule => rule.Result is ImportResult.Created or ImportResult.Updated);

    public int Count(ImportResult result) => Rules.Count(rule => rule.Result == result);

    /// <summary>Invalid entries first (1), then refusals (6), else 0.</summary>
    public int ExitCode =>
        Count(ImportResult.Invalid) > 0 ? ExitCodes.InvalidRule
        : Count(ImportResult.Failed) > 0 ? ExitCodes.Conflict
        : ExitCodes.Ok;
}
