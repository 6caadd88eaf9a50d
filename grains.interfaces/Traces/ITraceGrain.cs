using BeTrace.Grains.Interfaces.Spans;

namespace BeTrace.Grains.Interfaces.Traces;

/// <summary>
/// One live trace, keyed by <see cref="TraceKey"/>. It accumulates spans and evaluates the tenant's rules when
/// the trace goes idle, reaches its maximum age or its span cap.
/// </summary>
[Alias("betrace.ITraceGrain")]
public interface ITraceGrain : IGrainWithStringKey
{
    /// <summary>Appends spans (deduplicated by span id) and re-arms the idle timer.</summary>
    [Alias("Append")]
    Task<AppendResult> Append(SpanBatch batch);

    /// <summary>Activates the grain so that a trace parked at a shutdown resumes (its timer re-armed) without a new span.</summary>
    [Alias("Resume")]
    Task Resume();

    /// <summary>What the grain holds now; for operations and tests.</summary>
    [Alias("Describe")]
    Task<TraceState> Describe();
}
