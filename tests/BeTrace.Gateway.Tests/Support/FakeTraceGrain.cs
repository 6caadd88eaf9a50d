using BeTrace.Grains.Interfaces.Spans;
using BeTrace.Grains.Interfaces.Traces;

namespace BeTrace.Gateway.Tests.Support;

/// <summary>
/// The test cluster's only <see cref="ITraceGrain"/>: deduplicates by span id like the real one, and lets the
/// <see cref="TraceGrainRecorder"/> record the call and choose its behaviour.
/// </summary>
public sealed class FakeTraceGrain(TraceGrainRecorder recorder) : Grain, ITraceGrain
{
    private readonly HashSet<ulong> _spanIds = [];

    public Task<AppendResult> Append(SpanBatch batch) =>
        recorder.OnAppendAsync(this.GetPrimaryKeyString(), batch, Accept);

    public Task Resume() => Task.CompletedTask;

    public Task<TraceState> Describe() =>
        Task.FromResult(new TraceState(_spanIds.Count, 0, 0, [], false, RuntimeIdentity));

    private AppendResult Accept(SpanBatch batch)
    {
        var accepted = batch.Spans.Count(span => _spanIds.Add(span.SpanId));
        return new AppendResult(accepted, batch.Spans.Length - accepted, 0);
    }
}
