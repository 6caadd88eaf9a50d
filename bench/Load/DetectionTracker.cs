using System.Collections.Concurrent;
using System.Diagnostics;

namespace BeTrace.Bench.Load;

/// <summary>
/// Matches violation spans to the violating traces that were sent. Each violating trace is registered with its rule
/// and the time its last span was sent (the request that carried it); when the violation arrives, its detection
/// latency is arrival − sent − idle timeout. A violation for an unknown trace, or for another rule, is counted as
/// unexpected; a second one for the same trace as a duplicate.
/// </summary>
internal sealed class DetectionTracker(TimeSpan idleTimeout)
{
    private readonly ConcurrentDictionary<UInt128, Expectation> _pending = new();
    private readonly ConcurrentDictionary<UInt128, byte> _done = new();
    private readonly Lock _lock = new();
    private readonly List<double> _latenciesMs = [];
    private long _unexpected;
    private long _wrongRule;
    private long _duplicates;
    private long _detected;
    private long _violationSpans;
    private string? _firstUnexpected;

    private sealed record Expectation(string RuleId, long SentTimestamp, bool Measured);

    public TimeSpan IdleTimeout { get; } = idleTimeout;

    public long Detected => Interlocked.Read(ref _detected);

    public long ViolationSpans => Interlocked.Read(ref _violationSpans);

    public long Unexpected => Interlocked.Read(ref _unexpected);

    public long WrongRule => Interlocked.Read(ref _wrongRule);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public string? FirstUnexpected => Volatile.Read(ref _firstUnexpected);

    public int Pending => _pending.Count;

    /// <summary>Pending expectations whose latency would be measured (sent during the measured window).</summary>
    public int PendingMeasured => _pending.Values.Count(e => e.Measured);

    public void Expect(UInt128 traceId, string ruleId, long sentTimestamp, bool measured) =>
        _pending[traceId] = new Expectation(ruleId, sentTimestamp, measured);

    /// <summary>The request carrying the trace was refused: its violation is no longer expected.</summary>
    public void Forget(UInt128 traceId) => _pending.TryRemove(traceId, out _);

    public void OnViolation(UInt128 traceId, string? ruleId, long arrivalTimestamp)
    {
        Interlocked.Increment(ref _violationSpans);
        if (!_pending.TryRemove(traceId, out var expectation))
        {
            if (_done.ContainsKey(traceId))
            {
                Interlocked.Increment(ref _duplicates);
            }
            else
            {
                Interlocked.Increment(ref _unexpected);
                Interlocked.CompareExchange(ref _firstUnexpected, $"trace {traceId:x32} rule {ruleId}", null);
            }
            return;
        }
        _done[traceId] = 0;
        if (expectation.RuleId != ruleId)
        {
            Interlocked.Increment(ref _wrongRule);
            Interlocked.CompareExchange(ref _firstUnexpected, $"trace {traceId:x32}: rule {ruleId}, expected {expectation.RuleId}", null);
            return;
        }
        Interlocked.Increment(ref _detected);
        if (expectation.Measured)
        {
            var latency = Stopwatch.GetElapsedTime(expectation.SentTimestamp, arrivalTimestamp) - IdleTimeout;
            lock (_lock)
            {
                _latenciesMs.Add(latency.TotalMilliseconds);
            }
        }
    }

    /// <summary>Detection latencies (ms) measured so far, sorted.</summary>
    public double[] Latencies()
    {
        double[] copy;
        lock (_lock)
        {
            copy = [.. _latenciesMs];
        }
        Array.Sort(copy);
        return copy;
    }

    /// <summary>Drops everything measured so far (after the warm-up).</summary>
    public void ResetLatencies()
    {
        lock (_lock)
        {
            _latenciesMs.Clear();
        }
    }

    public static double Percentile(double[] sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        // Nearest rank.
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
