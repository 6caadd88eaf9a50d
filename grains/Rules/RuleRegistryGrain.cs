using BeTrace.Dsl.Errors;
using BeTrace.Dsl.Evaluation;
using BeTrace.Grains.Catalog;
using BeTrace.Grains.Interfaces.Rules;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace BeTrace.Grains.Rules;

/// <summary>
/// The source of truth for one tenant's rules. A change is validated (fields, then the DSL compiler), applied to
/// a copy of the state, persisted, and only then made visible; then the new snapshot is pushed to every silo.
/// A failed write leaves the registry as it was.
/// </summary>
public sealed partial class RuleRegistryGrain(
    [PersistentState("registry", BeTraceStorage.Rules)] IPersistentState<RegistryState> state,
    RuleSnapshotBroadcaster broadcaster,
    TimeProvider time,
    ILogger<RuleRegistryGrain> logger) : Grain, IRuleRegistryGrain
{
    private string Tenant => this.GetPrimaryKeyString();

    public Task<RuleChange> Create(RuleDraft draft)
    {
        if (Check(draft) is { } invalid)
        {
            return Task.FromResult(invalid);
        }
        if (state.State.Rules.ContainsKey(draft.Id))
        {
            return Task.FromResult(RuleChange.Fail(RuleErrorCode.AlreadyExists, $"rule '{draft.Id}' already exists; use update"));
        }
        if (state.State.Rules.Count >= RuleLimits.MaxRulesPerTenant)
        {
            return Task.FromResult(RuleChange.Fail(RuleErrorCode.InvalidField, $"tenant '{Tenant}' already has {RuleLimits.MaxRulesPerTenant} rules, the limit"));
        }
        var now = time.GetUtcNow();
        return Store(Definition(draft, created: now, updated: now, version: 1));
    }

    public Task<RuleChange> Update(RuleDraft draft, long expectedVersion)
    {
        if (Check(draft) is { } invalid)
        {
            return Task.FromResult(invalid);
        }
        if (!state.State.Rules.TryGetValue(draft.Id, out var current))
        {
            return Task.FromResult(NotFound(draft.Id));
        }
        if (current.Version != expectedVersion)
        {
            return Task.FromResult(RuleChange.Fail(RuleErrorCode.VersionConflict,
                $"rule '{draft.Id}' is at version {current.Version}, not {expectedVersion}: it was changed since you read it; read it again and retry"));
        }
        return Store(Definition(draft, current.Created, time.GetUtcNow(), current.Version + 1));
    }

    public async Task<RuleChange> Delete(string ruleId)
    {
        if (!state.State.Rules.TryGetValue(ruleId, out var current))
        {
            return NotFound(ruleId);
        }
        var rules = new Dictionary<string, RuleDefinition>(state.State.Rules, StringComparer.Ordinal);
        rules.Remove(ruleId);
        return await Persist(rules, current);
    }

    public Task<RuleChange> SetEnabled(string ruleId, bool enabled)
    {
        if (!state.State.Rules.TryGetValue(ruleId, out var current))
        {
            return Task.FromResult(NotFound(ruleId));
        }
        if (current.Enabled == enabled)
        {
            return Task.FromResult(RuleChange.Ok(current));
        }
        return Store(current with { Enabled = enabled, Updated = time.GetUtcNow(), Version = current.Version + 1 });
    }

    public Task<RuleDefinition?> Get(string ruleId) =>
        Task.FromResult(state.State.Rules.GetValueOrDefault(ruleId));

    public Task<RuleDefinition[]> List() =>
        Task.FromResult(state.State.Rules.Values.OrderBy(rule => rule.Id, StringComparer.Ordinal).ToArray());

    public Task<RuleError?> Validate(string expression) => Task.FromResult(CompileError(expression));

    public Task<long> GetVersion() => Task.FromResult(state.State.Version);

    public Task<RuleSetSnapshot> GetSnapshot() => Task.FromResult(Snapshot());

    private RuleChange? Check(RuleDraft draft)
    {
        if (RuleLimits.CheckFields(draft) is { } fieldError)
        {
            return new RuleChange(null, fieldError);
        }
        return CompileError(draft.Expression) is { } compileError ? new RuleChange(null, compileError) : null;
    }

    private static RuleError? CompileError(string expression)
    {
        if (RuleCompiler.TryCompile(expression ?? string.Empty, out _, out var error))
        {
            return null;
        }
        return new RuleError(RuleErrorCode.InvalidExpression, error!.Message, error.Position.Line, error.Position.Column);
    }

    private Task<RuleChange> Store(RuleDefinition rule)
    {
        var rules = new Dictionary<string, RuleDefinition>(state.State.Rules, StringComparer.Ordinal) { [rule.Id] = rule };
        return Persist(rules, rule);
    }

    private async Task<RuleChange> Persist(Dictionary<string, RuleDefinition> rules, RuleDefinition changed)
    {
        var previous = state.State;
        state.State = new RegistryState { Rules = rules, Version = previous.Version + 1 };
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            // Another activation wrote first (e.g. during a membership change): take its state and let the caller retry.
            await state.ReadStateAsync();
            return RuleChange.Fail(RuleErrorCode.VersionConflict, "the rule registry changed in storage meanwhile; read the rule again and retry");
        }
        catch
        {
            state.State = previous;
            throw;
        }
        if (previous.Version == 0)
        {
            await GrainFactory.GetGrain<ITenantDirectoryGrain>(0).Register(Tenant);
        }
        LogChanged(Tenant, changed.Id, state.State.Version);
        await broadcaster.Broadcast(Snapshot());
        return RuleChange.Ok(changed);
    }

    private RuleSetSnapshot Snapshot() => new(
        Tenant,
        state.State.Version,
        state.State.Rules.Values.Where(rule => rule.Enabled).OrderBy(rule => rule.Id, StringComparer.Ordinal).ToArray());

    private static RuleDefinition Definition(RuleDraft draft, DateTimeOffset created, DateTimeOffset updated, long version) => new(
        draft.Id, draft.Name, draft.Description ?? string.Empty, draft.Severity, draft.Expression, draft.Enabled,
        draft.Tags ?? [], draft.ComplianceFramework, draft.ComplianceControl, created, updated, version);

    private static RuleChange NotFound(string ruleId) => RuleChange.Fail(RuleErrorCode.NotFound, $"no rule '{ruleId}'");

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {Tenant}: rule {RuleId} changed; registry version {Version}")]
    private partial void LogChanged(string tenant, string ruleId, long version);
}
