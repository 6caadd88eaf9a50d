using BeTrace.Grains.Interfaces.Traces;

namespace BeTrace.Grains.Traces;

/// <summary>Persisted set of parked trace keys; every silo's <see cref="ParkedTraceResumer"/> takes and resumes them.</summary>
public sealed class ParkedTraceIndexGrain(
    [PersistentState("parked-index", BeTraceStorage.Traces)] IPersistentState<ParkedTraceIndexState> state) : Grain, IParkedTraceIndexGrain
{
    public async Task Add(string traceKey)
    {
        if (state.State.Keys.Add(traceKey))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task<string[]> Take(int max)
    {
        if (state.State.Keys.Count == 0)
        {
            return [];
        }
        var taken = state.State.Keys.Take(max).ToArray();
        state.State.Keys.ExceptWith(taken);
        await state.WriteStateAsync();
        return taken;
    }
}
