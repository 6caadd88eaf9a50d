using BeTrace.Grains.Interfaces.Spans;

namespace BeTrace.Grains.Traces;

/// <summary>
/// A trace is complete when it has a root span (no parent) and every parent id names a span of the trace.
/// Violations of incomplete traces (a lost silo, a client that never sent part of the trace) are marked so.
/// </summary>
public static class TraceCompleteness
{
    public static bool IsComplete(IReadOnlyCollection<WireSpan> spans, IReadOnlySet<ulong> spanIds)
    {
        var hasRoot = false;
        foreach (var span in spans)
        {
            if (span.ParentSpanId == 0)
            {
                hasRoot = true;
            }
            else if (!spanIds.Contains(span.ParentSpanId))
            {
                return false;
            }
        }
        return hasRoot;
    }
}
