namespace BeTrace.Grains.Tests.Storage;

/// <summary>State of <see cref="StorageProbeGrain"/>: a little of everything a real grain state has.</summary>
[GenerateSerializer, Alias("betrace.tests.StorageProbeState")]
public sealed class StorageProbeState
{
    [Id(0)]
    public string Text { get; set; } = "";

    [Id(1)]
    public int Count { get; set; }

    [Id(2)]
    public List<string> Items { get; set; } = [];
}

/// <summary>
/// A test grain with one persistent state in each BeTrace storage provider. The state names differ: providers on one
/// database share its table, and a stored row is keyed by service id, state name and grain id (not provider name).
/// </summary>
[Alias("betrace.tests.IStorageProbeGrain")]
public interface IStorageProbeGrain : IGrainWithStringKey
{
    /// <summary>Sets and persists both states.</summary>
    [Alias("Save")]
    Task Save(string text, int count);

    /// <summary>Re-reads both states from storage and returns them (rules state, traces state).</summary>
    [Alias("Load")]
    Task<StorageProbeState[]> Load();

    /// <summary>Clears both states in storage.</summary>
    [Alias("Clear")]
    Task Clear();
}

public sealed class StorageProbeGrain(
    [PersistentState("probe-rules", BeTraceStorage.Rules)] IPersistentState<StorageProbeState> rules,
    [PersistentState("probe-traces", BeTraceStorage.Traces)] IPersistentState<StorageProbeState> traces)
    : Grain, IStorageProbeGrain
{
    public async Task Save(string text, int count)
    {
        foreach (var state in new[] { rules, traces })
        {
            state.State.Text = text;
            state.State.Count = count;
            state.State.Items.Add(text);
            await state.WriteStateAsync();
        }
    }

    public async Task<StorageProbeState[]> Load()
    {
        await rules.ReadStateAsync();
        await traces.ReadStateAsync();
        return [rules.State, traces.State];
    }

    public async Task Clear()
    {
        await rules.ClearStateAsync();
        await traces.ClearStateAsync();
    }
}
