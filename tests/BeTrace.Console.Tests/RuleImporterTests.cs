using BeTrace.Console.Rules;
using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Console.Tests;

/// <summary>
/// The import's refusal path, which a real registry only takes in a race: a change refused while storing undoes
/// what the import stored (all or nothing), or leaves it (--partial). Driven against an in-memory registry.
/// </summary>
public sealed class RuleImporterTests
{
    private static PackRule Rule(string id, string expression = "when { a } always { b }") =>
        new(id, $"Rule {id}", "", Severity.Medium, expression, null, [], null, null, null, null, 1);

    private static FakeRegistry RegistryWithStoredRule()
    {
        var registry = new FakeRegistry();
        Assert.True(registry.Create(Rule("kept").ToDraft() with { Name = "Old name", Enabled = false }).Result.Succeeded);
        return registry;
    }

    private static RulePack Pack => new("p", null, [Rule("new"), Rule("kept"), Rule("refused")]);

    [Fact]
    public async Task A_refusal_while_storing_undoes_the_changes_of_the_import()
    {
        var registry = RegistryWithStoredRule();
        registry.Refuse = "refused";
        var report = await new RuleImporter(registry).ImportAsync(Pack, partial: false, dryRun: false);

        Assert.Equal([ImportResult.RolledBack, ImportResult.RolledBack, ImportResult.Failed], report.Rules.Select(r => r.Result).ToArray());
        Assert.Equal(ExitCodes.Conflict, report.ExitCode);
        Assert.False(report.Stored);
        var kept = Assert.Single(await registry.List());
        Assert.Equal(("kept", "Old name", false), (kept.Id, kept.Name, kept.Enabled));
    }

    [Fact]
    public async Task With_partial_the_other_changes_stay_and_an_update_keeps_the_stored_enabled_state()
    {
        var registry = RegistryWithStoredRule();
        registry.Refuse = "refused";
        var report = await new RuleImporter(registry).ImportAsync(Pack, partial: true, dryRun: false);

        Assert.Equal([ImportResult.Created, ImportResult.Updated, ImportResult.Failed], report.Rules.Select(r => r.Result).ToArray());
        Assert.True(report.Stored);
        var kept = (await registry.Get("kept"))!;
        Assert.Equal(("Rule kept", false, 2L), (kept.Name, kept.Enabled, kept.Version));
    }

    [Fact]
    public async Task A_dry_run_stores_nothing_and_an_invalid_entry_stops_the_whole_pack()
    {
        var registry = RegistryWithStoredRule();
        var dry = await new RuleImporter(registry).ImportAsync(Pack, partial: false, dryRun: true);
        Assert.Equal([ImportResult.Created, ImportResult.Updated, ImportResult.Created], dry.Rules.Select(r => r.Result).ToArray());
        Assert.Single(await registry.List());

        var invalid = await new RuleImporter(registry).ImportAsync(new RulePack(null, null, [Rule("x"), Rule("x"), Rule("y", "when {")]), false, false);
        Assert.Equal([ImportResult.Invalid, ImportResult.Invalid, ImportResult.Invalid], invalid.Rules.Select(r => r.Result).ToArray());
        Assert.Equal("id 'x' appears more than once in the pack", invalid.Rules[0].Detail);
        Assert.Equal(1, invalid.Rules[2].Issue!.Error!.Line);
        Assert.Equal(ExitCodes.InvalidRule, invalid.ExitCode);
    }

    /// <summary>Versions and refusals as the real registry has them; <see cref="Refuse"/> makes one id's change fail.</summary>
    private sealed class FakeRegistry : IRuleRegistryGrain
    {
        private readonly Dictionary<string, RuleDefinition> _rules = new(StringComparer.Ordinal);

        public string? Refuse { get; set; }

        public Task<RuleChange> Create(RuleDraft draft)
        {
            if (draft.Id == Refuse)
            {
                return Task.FromResult(RuleChange.Fail(RuleErrorCode.VersionConflict, "changed meanwhile"));
            }
            if (_rules.ContainsKey(draft.Id))
            {
                return Task.FromResult(RuleChange.Fail(RuleErrorCode.AlreadyExists, "exists"));
            }
            return Task.FromResult(Store(draft, 1));
        }

        public Task<RuleChange> Update(RuleDraft draft, long expectedVersion)
        {
            if (!_rules.TryGetValue(draft.Id, out var current))
            {
                return Task.FromResult(RuleChange.Fail(RuleErrorCode.NotFound, "no rule"));
            }
            return Task.FromResult(current.Version != expectedVersion || draft.Id == Refuse
                ? RuleChange.Fail(RuleErrorCode.VersionConflict, "stale")
                : Store(draft, current.Version + 1));
        }

        public Task<RuleChange> Delete(string ruleId) =>
            Task.FromResult(_rules.Remove(ruleId, out var removed) ? RuleChange.Ok(removed) : RuleChange.Fail(RuleErrorCode.NotFound, "no rule"));

        public Task<RuleChange> SetEnabled(string ruleId, bool enabled) => throw new NotSupportedException();

        public Task<RuleDefinition?> Get(string ruleId) => Task.FromResult(_rules.GetValueOrDefault(ruleId));

        public Task<RuleDefinition[]> List() => Task.FromResult(_rules.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToArray());

        public Task<RuleError?> Validate(string expression) => LocalRuleCheck.Validate(expression);

        public Task<long> GetVersion() => throw new NotSupportedException();

        public Task<RuleSetSnapshot> GetSnapshot() => throw new NotSupportedException();

        private RuleChange Store(RuleDraft draft, long version)
        {
            var rule = new RuleDefinition(draft.Id, draft.Name, draft.Description, draft.Severity, draft.Expression, draft.Enabled,
                draft.Tags ?? [], draft.ComplianceFramework, draft.ComplianceControl, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, version);
            _rules[draft.Id] = rule;
            return RuleChange.Ok(rule);
        }
    }
}
