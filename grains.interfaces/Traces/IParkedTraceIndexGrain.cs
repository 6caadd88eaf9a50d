namespace BeTrace.Grains.Interfaces.Traces;

/// <summary>
/// The keys of traces parked at a graceful shutdown (a single grain, key 0), so that another silo resumes them even
/// when no further span arrives for them.
/// </summary>
[Alias("betrace.IParkedTraceIndexGrain")]
public interface IParkedTraceIndexGrain : IGrainWithIntegerKey
{
    [Alias("Add")]
    Task Add(string traceKey);

    /// <summary>Removes and returns up to <paramref name="max"/> keys; the caller resumes them.</summary>
    [Alias("Take")]
    Task<string[]> Take(int max);
}
