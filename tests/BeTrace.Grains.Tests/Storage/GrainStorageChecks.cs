using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace BeTrace.Grains.Tests.Storage;

/// <summary>Optimistic-concurrency checks run straight against a silo's <see cref="IGrainStorage"/> provider.</summary>
internal static class GrainStorageChecks
{
    private const string GrainTypeName = "BeTrace.Grains.Tests.Storage.StorageProbeGrain";

    /// <summary>The grain storage provider registered under <paramref name="name"/> on the first silo.</summary>
    public static IGrainStorage Provider(InProcessTestCluster cluster, string name) =>
        cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(name);

    /// <summary>
    /// Stale and concurrent writes are refused with <see cref="InconsistentStateException"/>, for a string key and for a
    /// Guid key (whose key extension is NULL in the table); clearing keeps the version going.
    /// </summary>
    public static async Task StaleWritesAreRefusedAsync(IGrainStorage storage)
    {
        await CheckAsync(storage, GrainId.Create("storageprobe", $"stale/{Guid.NewGuid():N}"));
        await CheckAsync(storage, GrainId.Create(
            GrainType.Create("storageprobe"), GrainIdKeyExtensions.CreateGuidKey(Guid.NewGuid())));
    }

    private static async Task CheckAsync(IGrainStorage storage, GrainId id)
    {
        // First write: no ETag, no row -> inserted.
        var first = State("first", etag: null);
        await storage.WriteStateAsync(GrainTypeName, id, first);
        Assert.NotNull(first.ETag);
        Assert.True(first.RecordExists);

        // A second writer that never read the row (no ETag) is refused.
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteStateAsync(GrainTypeName, id, State("blind", etag: null)));

        // Two writers that read the same version: the first wins, the second is stale.
        var readVersion = first.ETag;
        var winner = State("winner", readVersion);
        await storage.WriteStateAsync(GrainTypeName, id, winner);
        Assert.NotEqual(readVersion, winner.ETag);
        var loser = State("loser", readVersion);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(GrainTypeName, id, loser));

        // Many writers racing with the same version: exactly one succeeds.
        var racers = Enumerable.Range(0, 8).Select(i => State($"racer-{i}", winner.ETag)).ToList();
        var outcomes = await Task.WhenAll(racers.Select(async racer =>
        {
            try
            {
                await storage.WriteStateAsync(GrainTypeName, id, racer);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));
        Assert.Single(outcomes, succeeded => succeeded);
        var champion = racers[Array.IndexOf(outcomes, true)];

        var read = State("", etag: null);
        await storage.ReadStateAsync(GrainTypeName, id, read);
        Assert.True(read.RecordExists);
        Assert.Equal(champion.ETag, read.ETag);
        Assert.Equal(champion.State?.Text, read.State?.Text);

        // Clearing with a stale version is refused; with the current one it works and keeps a version.
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.ClearStateAsync(GrainTypeName, id, State("", winner.ETag, recordExists: true)));
        await storage.ClearStateAsync(GrainTypeName, id, read);
        Assert.False(read.RecordExists);
        Assert.NotNull(read.ETag);

        var afterClear = State("", etag: null);
        await storage.ReadStateAsync(GrainTypeName, id, afterClear);
        Assert.False(afterClear.RecordExists);
        Assert.Equal(read.ETag, afterClear.ETag);
        Assert.Equal("", afterClear.State?.Text);

        // Writing over the cleared row with its version works again.
        afterClear.State = new StorageProbeState { Text = "reborn" };
        await storage.WriteStateAsync(GrainTypeName, id, afterClear);
        var reborn = State("", etag: null);
        await storage.ReadStateAsync(GrainTypeName, id, reborn);
        Assert.Equal("reborn", reborn.State?.Text);
        Assert.Equal(afterClear.ETag, reborn.ETag);
    }

    /// <summary>With DeleteStateOnClear the row goes away (DeleteStorageKey) and the next write starts afresh.</summary>
    public static async Task ClearDeletesTheRowAsync(IGrainStorage storage)
    {
        var id = GrainId.Create("storageprobe", $"delete/{Guid.NewGuid():N}");
        var state = State("doomed", etag: null);
        await storage.WriteStateAsync(GrainTypeName, id, state);
        var stale = state.ETag;
        await storage.WriteStateAsync(GrainTypeName, id, state);

        // A delete with a stale version is refused and deletes nothing.
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.ClearStateAsync(GrainTypeName, id, State("", stale, recordExists: true)));

        await storage.ClearStateAsync(GrainTypeName, id, state);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);

        var read = State("", etag: null);
        await storage.ReadStateAsync(GrainTypeName, id, read);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);

        var again = State("again", etag: null);
        await storage.WriteStateAsync(GrainTypeName, id, again);
        Assert.True(again.RecordExists);
        await storage.ReadStateAsync(GrainTypeName, id, read);
        Assert.Equal("again", read.State?.Text);
    }

    private static GrainState<StorageProbeState> State(string text, string? etag, bool recordExists = false) =>
        new(new StorageProbeState { Text = text, Count = text.Length })
        {
            ETag = etag,
            RecordExists = recordExists || etag is not null,
        };
}
