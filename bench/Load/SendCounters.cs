using System.Collections.Concurrent;

namespace BeTrace.Bench.Load;

/// <summary>Counts of sent export requests and their answers (thread-safe).</summary>
internal sealed class SendCounters
{
    private long _requests;
    private long _okRequests;
    private long _rejectedRequests;
    private long _spansSent;
    private long _spansAccepted;
    private long _spansRejected;
    private long _tracesSent;

    public ConcurrentDictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

    public long Requests => Interlocked.Read(ref _requests);

    public long OkRequests => Interlocked.Read(ref _okRequests);

    public long RejectedRequests => Interlocked.Read(ref _rejectedRequests);

    public long SpansSent => Interlocked.Read(ref _spansSent);

    /// <summary>Spans of requests answered OK, less the partial_success rejected spans.</summary>
    public long SpansAccepted => Interlocked.Read(ref _spansAccepted);

    /// <summary>partial_success rejected_spans of requests answered OK.</summary>
    public long SpansRejected => Interlocked.Read(ref _spansRejected);

    public long TracesSent => Interlocked.Read(ref _tracesSent);

    public void Record(int spans, int traces, SendResult result)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _spansSent, spans);
        Interlocked.Add(ref _tracesSent, traces);
        if (result.Ok)
        {
            Interlocked.Increment(ref _okRequests);
            Interlocked.Add(ref _spansAccepted, spans - result.RejectedSpans);
            Interlocked.Add(ref _spansRejected, result.RejectedSpans);
            if (result.Error is { } partial)
            {
                Errors.AddOrUpdate("partial_success: " + Truncate(partial), 1, (_, n) => n + 1);
            }
        }
        else
        {
            Interlocked.Increment(ref _rejectedRequests);
            Errors.AddOrUpdate(result.Error ?? "rejected", 1, (_, n) => n + 1);
        }
    }

    private static string Truncate(string text) => text.Length <= 120 ? text : text[..120] + "…";
}
