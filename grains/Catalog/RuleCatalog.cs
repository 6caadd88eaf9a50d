using System.Collections.Concurrent;
using BeTrace.Dsl.Evaluation;
using BeTrace.Grains.Interfaces.Rules;
using Microsoft.Extensions.Logging;

namespace BeTrace.Grains.Catalog;

/// <summary>
/// The silo-local store of compiled rule snapshots, one per tenant. Trace grains read it without any grain
/// call; the catalog service installs snapshots pushed by registries or fetched by its version poll.
/// Snapshots are immutable and swapped whole, so readers never see a half-applied change.
/// </summary>
public sealed partial class RuleCatalog(ILogger<RuleCatalog> logger)
{
    private readonly ConcurrentDictionary<string, TenantRuleSet> _tenants = new(StringComparer.Ordinal);

    /// <summary>Raised after a tenant's snapshot changed (tests and metrics observe it).</summary>
    public event Action<TenantRuleSet>? Changed;

    public TenantRuleSet For(string tenant) => _tenants.TryGetValue(tenant, out var set) ? set : TenantRuleSet.Empty(tenant);

    public IReadOnlyDictionary<string, long> Versions() => _tenants.ToDictionary(pair => pair.Key, pair => pair.Value.Version);

    /// <summary>Compiles and installs <paramref name="snapshot"/> unless the catalog already has this version or a newer one.</summary>
    /// <returns>True when the snapshot was installed.</returns>
    public bool Install(RuleSetSnapshot snapshot)
    {
        if (_tenants.TryGetValue(snapshot.Tenant, out var current) && current.Version >= snapshot.Version)
        {
            return false;
        }
        var rules = new List<CatalogRule>(snapshot.EnabledRules.Length);
        foreach (var definition in snapshot.EnabledRules)
        {
            // The registry only stores rules that compiled, so this fails only if the engine changed between versions.
            if (RuleCompiler.TryCompile(definition.Expression, out var compiled, out var error))
            {
                rules.Add(new CatalogRule(definition, compiled!));
            }
            else
            {
                LogUncompilableRule(snapshot.Tenant, definition.Id, error!.ToString());
            }
        }
        var set = new TenantRuleSet(snapshot.Tenant, snapshot.Version, rules);
        while (true)
        {
            if (_tenants.TryGetValue(snapshot.Tenant, out current))
            {
                if (current.Version >= set.Version)
                {
                    return false;
                }
                if (_tenants.TryUpdate(snapshot.Tenant, set, current))
                {
                    break;
                }
            }
            else if (_tenants.TryAdd(snapshot.Tenant, set))
            {
                break;
            }
        }
        LogInstalled(snapshot.Tenant, snapshot.Version, rules.Count);
        Changed?.Invoke(set);
        return true;
    }

    /// <summary>Drops a tenant's snapshot, as if this silo had missed every push (tests use it to show the poll heals).</summary>
    internal void Forget(string tenant) => _tenants.TryRemove(tenant, out _);

    [LoggerMessage(Level = LogLevel.Error, Message = "Tenant {Tenant}: stored rule {RuleId} no longer compiles and is skipped: {Error}")]
    private partial void LogUncompilableRule(string tenant, string ruleId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {Tenant}: rule snapshot version {Version} installed ({Count} enabled rules)")]
    private partial void LogInstalled(string tenant, long version, int count);
}
