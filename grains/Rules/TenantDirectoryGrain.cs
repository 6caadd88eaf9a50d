using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Grains.Rules;

/// <summary>The persisted set of tenants that have rules, so every silo knows which registries to poll.</summary>
public sealed class TenantDirectoryGrain(
    [PersistentState("tenants", BeTraceStorage.Rules)] IPersistentState<TenantDirectoryState> state) : Grain, ITenantDirectoryGrain
{
    public async Task Register(string tenant)
    {
        if (state.State.Tenants.Add(tenant))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<string[]> List() => Task.FromResult(state.State.Tenants.Order(StringComparer.Ordinal).ToArray());
}
