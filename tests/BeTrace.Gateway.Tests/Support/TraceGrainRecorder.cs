using System.Collections.Concurrent;
using BeTrace.Grains.Interfaces.Spans;
using BeTrace.Grains.Interfaces.Traces;

namespace BeTrace.Gateway.Tests.Support;

/// <summary>One Append call the fake trace grain received.</summary>
public sealed record RecordedAppend(string GrainKey, string Tenant, string TraceIdHex, SpanBatch Batch);

/// <summary>
/// Shared by the test and the fake trace grains (registered in the silo): records every Append and decides, per
/// tenant, how the grain behaves — accept, throw, block until released, or drop everything at a "cap".
/// </summary>
public sealed class TraceGrainRecorder
{
    private readonly ConcurrentQueue<RecordedAppend> _appends = new();
    private readonly ConcurrentDictionary<string, Behavior> _behaviors = new(StringComparer.Ordinal);

    private enum Mode
    {
        Throw,
        Block,
        Drop,
    }

    public IReadOnlyList<RecordedAppend> Appends(string tenant) =>
        [.. _appends.Where(append => append.Tenant == tenant)];

    /// <summary>Appends of <paramref name="tenant"/> fail with an exception.</summary>
    public void Fail(string tenant) => _behaviors[tenant] = new Behavior(Mode.Throw, null);

    /// <summary>Appends of <paramref name="tenant"/> wait until the returned source is completed.</summary>
    public TaskCompletionSource Block(string tenant)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _behaviors[tenant] = new Behavior(Mode.Block, release);
        return release;
    }

    /// <summary>Appends of <paramref name="tenant"/> report every span as dropped (a trace at its cap).</summary>
    public void DropAll(string tenant) => _behaviors[tenant] = new Behavior(Mode.Drop, null);

    /// <summary>Polls until <paramref name="tenant"/> has at least <paramref name="count"/> appends (started ones count).</summary>
    public async Task<IReadOnlyList<RecordedAppend>> WaitForAppendsAsync(string tenant, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var appends = Appends(tenant);
            if (appends.Count >= count)
            {
                return appends;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"tenant {tenant} got {appends.Count} appends within {timeout}, expected {count}");
            }

            await Task.Delay(20);
        }
    }

    internal async Task<AppendResult> OnAppendAsync(string grainKey, SpanBatch batch, Func<SpanBatch, AppendResult> accept)
    {
        var key = TraceKey.Parse(grainKey);
        _appends.Enqueue(new RecordedAppend(grainKey, key.Tenant, key.TraceIdHex, batch));
        if (!_behaviors.TryGetValue(key.Tenant, out var behavior))
        {
            return accept(batch);
        }

        switch (behavior.Mode)
        {
            case Mode.Throw:
                throw new InvalidOperationException($"fake trace grain {grainKey} fails on purpose");
            case Mode.Block:
                await behavior.Release!.Task;
                return accept(batch);
            default:
                return new AppendResult(0, 0, batch.Spans.Length);
        }
    }

    private sealed record Behavior(Mode Mode, TaskCompletionSource? Release);
}
