using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OpenTelemetry;

namespace BeTrace.Grains.Violations;

/// <summary>
/// Export processor of the violation pipeline: a bounded FIFO buffer in front of the OTLP exporter, drained by one
/// background thread that exports batches and retries a failed batch with exponential backoff until it is accepted.
/// Deriving from <see cref="BaseExportProcessor{T}"/> lets the SDK give the exporter its parent provider, hence
/// the resource (service.name = betrace).
/// <list type="bullet">
/// <item>Accepting a span: if <see cref="Buffered"/> is at the bound the span is dropped and counted; otherwise it is
/// queued and the loop is woken. Nothing blocks the publishing thread.</item>
/// <item>Exporting: up to <c>MaxExportBatch</c> spans per request, in publication order. A failure keeps the batch
/// (topped up with newer spans, in order) and waits RetryInitialDelay, doubled per failure up to RetryMaxDelay; the
/// first success resets the delay. Every failed attempt is counted.</item>
/// <item>Flush wakes the loop (an immediate attempt even during a backoff wait) and waits for everything accepted
/// before the call. Shutdown keeps trying until its deadline; what is still buffered then is counted as dropped.</item>
/// </list>
/// </summary>
internal sealed partial class ViolationExportProcessor : BaseExportProcessor<Activity>
{
    private readonly ActivitySource _source;
    private readonly ConcurrentQueue<Activity> _queue = new();
    private readonly int _maxBuffered;
    private readonly int _maxBatch;
    private readonly TimeSpan _initialDelay;
    private readonly TimeSpan _maxDelay;
    private readonly TimeSpan _exportTimeout;
    private readonly ViolationExportMetrics _metrics;
    private readonly ILogger _logger;
    private readonly string _endpoint;
    private readonly AutoResetEvent _dataAvailable = new(false);
    private readonly AutoResetEvent _wake = new(false);
    private readonly object _progressLock = new();
    private readonly Thread _thread;

    private long _buffered;
    private long _accepted;
    private long _completed;
    private long _exported;
    private long _failures;
    private long _dropped;
    private volatile bool _shutdownRequested;
    private long _shutdownDeadlineTimestamp = long.MaxValue;
    private int _disposed;

    public ViolationExportProcessor(
        BaseExporter<Activity> exporter,
        ActivitySource source,
        ViolationExportOptions options,
        ViolationExportMetrics metrics,
        ILogger logger)
        : base(exporter)
    {
        _source = source;
        _maxBuffered = options.MaxBufferedSpans;
        _maxBatch = options.MaxExportBatch;
        _initialDelay = options.RetryInitialDelay;
        _maxDelay = options.RetryMaxDelay;
        _exportTimeout = options.ExportTimeout;
        _metrics = metrics;
        _logger = logger;
        _endpoint = options.EffectiveEndpoint().ToString();
        _thread = new Thread(ExportLoop)
        {
            IsBackground = true,
            Name = "BeTrace violation export",
        };
        _thread.Start();
    }

    /// <summary>Spans accepted and not yet exported or dropped (queued plus the batch in flight).</summary>
    public long Buffered => Interlocked.Read(ref _buffered);

    /// <summary>Spans the endpoint accepted.</summary>
    public long Exported => Interlocked.Read(ref _exported);

    /// <summary>Failed export attempts (one per failed request, including retries of the same batch).</summary>
    public long ExportFailures => Interlocked.Read(ref _failures);

    /// <summary>Spans never exported: refused because the buffer was full, or still buffered at the shutdown deadline.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Counts spans that could not even be queued (not created, or published after disposal) as dropped.</summary>
    public void CountDropped(long count)
    {
        Interlocked.Add(ref _dropped, count);
        _metrics.Dropped.Add(count);
    }

    protected override void OnExport(Activity data)
    {
        // The provider listens by source name; another exporter instance in the process uses a source with the
        // same name, so keep only the spans of our own source instance.
        if (!ReferenceEquals(data.Source, _source))
        {
            return;
        }

        if (_shutdownRequested)
        {
            CountDropped(1);
            return;
        }

        if (Interlocked.Increment(ref _buffered) > _maxBuffered)
        {
            Interlocked.Decrement(ref _buffered);
            var dropped = Interlocked.Increment(ref _dropped);
            _metrics.Dropped.Add(1);
            if (dropped == 1 || dropped % 1000 == 0)
            {
                LogBufferFull(_maxBuffered, dropped);
            }

            return;
        }

        Interlocked.Increment(ref _accepted);
        _queue.Enqueue(data);
        _dataAvailable.Set();
    }

    protected override bool OnForceFlush(int timeoutMilliseconds)
    {
        var stopwatch = Stopwatch.StartNew();
        var target = Interlocked.Read(ref _accepted);
        _wake.Set();
        lock (_progressLock)
        {
            while (Interlocked.Read(ref _completed) < target)
            {
                var remaining = Remaining(timeoutMilliseconds, stopwatch);
                if (remaining == 0 || !_thread.IsAlive)
                {
                    return false;
                }

                Monitor.Wait(_progressLock, remaining);
            }
        }

        return exporter.ForceFlush(Remaining(timeoutMilliseconds, stopwatch));
    }

    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        var stopwatch = Stopwatch.StartNew();
        Interlocked.Exchange(
            ref _shutdownDeadlineTimestamp,
            timeoutMilliseconds == Timeout.Infinite
                ? long.MaxValue
                : Stopwatch.GetTimestamp() + (long)(timeoutMilliseconds / 1000.0 * Stopwatch.Frequency));
        _shutdownRequested = true;
        _wake.Set();
        _dataAvailable.Set();

        // Until the deadline the loop keeps exporting; after it the loop starts no new request and drops what is
        // left, so one request in flight (bounded by the export timeout) is all there is to wait for beyond it.
        var drained = timeoutMilliseconds == Timeout.Infinite
            ? _thread.Join(Timeout.Infinite)
            : _thread.Join(Remaining(timeoutMilliseconds, stopwatch)) || _thread.Join(_exportTimeout + TimeSpan.FromSeconds(1));
        if (drained && !_queue.IsEmpty)
        {
            // Spans that raced with the shutdown request after the loop had ended.
            DropRemaining([], 0);
        }

        return exporter.Shutdown(Remaining(timeoutMilliseconds, stopwatch)) && drained;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            // The export thread may still sit in a request that ignores the shutdown deadline; its handles are only
            // released when it has stopped.
            if (!_thread.IsAlive)
            {
                _dataAvailable.Dispose();
                _wake.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private static int Remaining(int timeoutMilliseconds, Stopwatch stopwatch)
    {
        if (timeoutMilliseconds == Timeout.Infinite)
        {
            return Timeout.Infinite;
        }

        return (int)Math.Max(0, timeoutMilliseconds - stopwatch.ElapsedMilliseconds);
    }

    private bool PastShutdownDeadline() =>
        _shutdownRequested && Stopwatch.GetTimestamp() >= Interlocked.Read(ref _shutdownDeadlineTimestamp);

    private TimeSpan UntilShutdownDeadline()
    {
        var deadline = Interlocked.Read(ref _shutdownDeadlineTimestamp);
        if (deadline == long.MaxValue)
        {
            return Timeout.InfiniteTimeSpan;
        }

        var ticks = deadline - Stopwatch.GetTimestamp();
        return ticks <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(ticks / (double)Stopwatch.Frequency);
    }

    private void ExportLoop()
    {
        var batch = new Activity[_maxBatch];
        var count = 0;
        var delay = _initialDelay;
        var failing = false;
        while (true)
        {
            while (count < batch.Length && _queue.TryDequeue(out var next))
            {
                batch[count++] = next;
            }

            if (count == 0)
            {
                if (_shutdownRequested)
                {
                    return;
                }

                WaitHandle.WaitAny([_dataAvailable, _wake]);
                continue;
            }

            if (PastShutdownDeadline())
            {
                DropRemaining(batch, count);
                return;
            }

            ExportResult result;
            try
            {
                result = exporter.Export(new Batch<Activity>(batch, count));
            }
#pragma warning disable CA1031 // The loop must survive any exporter fault; the batch is retried.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogExportException(ex, _endpoint);
                result = ExportResult.Failure;
            }

            if (result == ExportResult.Success)
            {
                Array.Clear(batch, 0, count);
                Complete(count, exported: true);
                count = 0;
                delay = _initialDelay;
                if (failing)
                {
                    failing = false;
                    LogExportRecovered(_endpoint, Buffered);
                }

                continue;
            }

            Interlocked.Increment(ref _failures);
            _metrics.ExportFailures.Add(1);
            if (!failing)
            {
                failing = true;
                LogExportFailing(_endpoint, Buffered, delay);
            }

            if (PastShutdownDeadline())
            {
                DropRemaining(batch, count);
                return;
            }

            var wait = delay;
            if (_shutdownRequested)
            {
                var left = UntilShutdownDeadline();
                if (left != Timeout.InfiniteTimeSpan && left < wait)
                {
                    wait = left;
                }
            }

            // A flush or shutdown request interrupts the wait for an immediate attempt; new data does not.
            _wake.WaitOne(wait);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _maxDelay.Ticks));
        }
    }

    private void DropRemaining(Activity[] batch, int count)
    {
        var dropped = count;
        Array.Clear(batch, 0, count);

        while (_queue.TryDequeue(out _))
        {
            dropped++;
        }

        Interlocked.Add(ref _dropped, dropped);
        _metrics.Dropped.Add(dropped);
        LogDroppedAtShutdown(dropped, _endpoint);
        Complete(dropped, exported: false);
    }

    private void Complete(int count, bool exported)
    {
        Interlocked.Add(ref _buffered, -count);
        if (exported)
        {
            Interlocked.Add(ref _exported, count);
            _metrics.Exported.Add(count);
        }

        lock (_progressLock)
        {
            Interlocked.Add(ref _completed, count);
            Monitor.PulseAll(_progressLock);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Violation export to {Endpoint} failed; {Buffered} spans buffered, retrying in {Delay} with backoff")]
    private partial void LogExportFailing(string endpoint, long buffered, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Violation export to {Endpoint} recovered; {Buffered} spans still buffered")]
    private partial void LogExportRecovered(string endpoint, long buffered);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Violation exporter to {Endpoint} threw")]
    private partial void LogExportException(Exception exception, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Violation export buffer full ({Capacity} spans): violation spans are dropped ({Dropped} so far)")]
    private partial void LogBufferFull(int capacity, long dropped);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "{Dropped} violation spans were still buffered at the shutdown deadline and are dropped (endpoint {Endpoint})")]
    private partial void LogDroppedAtShutdown(int dropped, string endpoint);
}
