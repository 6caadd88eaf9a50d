namespace BeTrace.Grains.Interfaces.Rules;

/// <summary>
/// The source of truth for one tenant's rules (key: the tenant). Every change is validated by the DSL compiler
/// first, bumps the registry version, is persisted, and is pushed to every silo's rule catalog.
/// </summary>
[Alias("betrace.IRuleRegistryGrain")]
public interface IRuleRegistryGrain : IGrainWithStringKey
{
    [Alias("Create")]
    Task<RuleChange> Create(RuleDraft draft);

    /// <summary>Replaces a rule; refused with <see cref="RuleErrorCode.VersionConflict"/> when its version is not <paramref name="expectedVersion"/>.</summary>
    [Alias("Update")]
    Task<RuleChange> Update(RuleDraft draft, long expectedVersion);

    [Alias("Delete")]
    Task<RuleChange> Delete(string ruleId);

    [Alias("SetEnabled")]
    Task<RuleChange> SetEnabled(string ruleId, bool enabled);

    [Alias("Get")]
    Task<RuleDefinition?> Get(string ruleId);

    [Alias("List")]
    Task<RuleDefinition[]> List();

    /// <summary>Checks an expression without storing anything; null when it loads.</summary>
    [Alias("Validate")]
    Task<RuleError?> Validate(string expression);

    [Alias("GetVersion")]
    Task<long> GetVersion();

    [Alias("GetSnapshot")]
    Task<RuleSetSnapshot> GetSnapshot();
}
