using System.Globalization;
using BeTrace.Gateway.Conversion;
using BeTrace.Gateway.Export;
using BeTrace.Grains.Interfaces.Spans;
using BeTrace.Grains.Interfaces.Traces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BeTrace.Gateway.Ingest;

/// <summary>
/// Sends each trace group of a request to its trace grain in one <see cref="ITraceGrain.Append"/> call, concurrently
/// but bounded by the shared <see cref="InFlightGate"/>, and succeeds only when every group was accepted.
/// No slot within InFlightWaitTimeout means overload; a failed or timed-out grain call means unavailable. Both are
/// retryable: the client resends the whole request and the trace grains drop the spans they already have.
/// Works wherever an <see cref="IGrainFactory"/> is registered (in a silo or in an Orleans client).
/// </summary>
public sealed partial class SpanIngestor
{
    private readonly IGrainFactory _grains;
    private readonly InFlightGate _gate;
    private readonly ILogger<SpanIngestor> _logger;
    private readonly TimeSpan _waitTimeout;
    private readonly TimeSpan _callTimeout;
    private readonly int _retryAfterSeconds;

    public SpanIngestor(IGrainFactory grains, InFlightGate gate, IOptions<GatewayOptions> options, ILogger<SpanIngestor> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _grains = grains;
        _gate = gate;
        _logger = logger;
        _waitTimeout = options.Value.InFlightWaitTimeout;
        _callTimeout = options.Value.GrainCallTimeout;
        _retryAfterSeconds = options.Value.RetryAfterSeconds;
    }

    /// <exception cref="OperationCanceledException">The client went away while the request waited for a slot.</exception>
    public async Task<IngestResult> IngestAsync(IReadOnlyList<TraceGroup> groups, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var calls = new Task<GroupResult>[groups.Count];
        for (var i = 0; i < groups.Count; i++)
        {
            // One waiter per request at a time: the wait times out only when no slot at all was freed for the whole
            // InFlightWaitTimeout, i.e. the grains are not keeping up, not merely because this request is large.
            if (!await _gate.TryEnterAsync(_waitTimeout, cancellationToken).ConfigureAwait(false))
            {
                LogOverloaded(_logger, _gate.Capacity, groups.Count, i);
                // Calls already started finish on their own (they observe their exceptions and free their slots).
                return new IngestResult(groups.Count, 0, 0, 0, new ExportError(
                    ExportErrorKind.Overloaded,
                    string.Create(CultureInfo.InvariantCulture,
                        $"gateway overloaded: all {_gate.Capacity} in-flight trace grain calls stayed busy for {_waitTimeout.TotalMilliseconds:0} ms; retry after {_retryAfterSeconds} s")));
            }

            calls[i] = CallAsync(groups[i]);
        }

        var results = await Task.WhenAll(calls).ConfigureAwait(false);
        int accepted = 0, duplicates = 0, dropped = 0, failed = 0;
        GroupResult? firstFailure = null;
        foreach (var result in results)
        {
            if (result.Failure is not null)
            {
                failed++;
                firstFailure ??= result;
                continue;
            }

            accepted += result.Append!.Accepted;
            duplicates += result.Append.Duplicates;
            dropped += result.Append.Dropped;
        }

        var error = firstFailure is null
            ? null
            : new ExportError(
                ExportErrorKind.Unavailable,
                $"{failed} of {groups.Count} trace grain calls failed (first: trace {firstFailure.Group.TraceIdHex}: {firstFailure.Failure}); retry after {_retryAfterSeconds} s");
        return new IngestResult(groups.Count, accepted, duplicates, dropped, error);
    }

    private async Task<GroupResult> CallAsync(TraceGroup group)
    {
        Task<AppendResult> call;
        try
        {
            call = _grains.GetGrain<ITraceGrain>(group.GrainKey).Append(new SpanBatch(group.Spans));
        }
        catch (Exception ex)
        {
            _gate.Exit();
            LogCallFailed(_logger, ex, group.GrainKey);
            return new GroupResult(group, null, ex.GetType().Name);
        }

        // The slot is freed when the call really ends, not when this request stops waiting for it.
        _ = call.ContinueWith(
            static (task, state) =>
            {
                _ = task.Exception;
                ((InFlightGate)state!).Exit();
            },
            _gate,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        try
        {
            return new GroupResult(group, await call.WaitAsync(_callTimeout).ConfigureAwait(false), null);
        }
        catch (TimeoutException ex) when (!call.IsCompleted)
        {
            LogCallTimedOut(_logger, ex, group.GrainKey, _callTimeout.TotalMilliseconds);
            return new GroupResult(group, null, string.Create(CultureInfo.InvariantCulture, $"no answer within {_callTimeout.TotalMilliseconds:0} ms"));
        }
        catch (Exception ex)
        {
            // SiloUnavailableException, OrleansMessageRejectionException, Orleans' own TimeoutException, a grain fault...
            LogCallFailed(_logger, ex, group.GrainKey);
            return new GroupResult(group, null, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway overloaded: no in-flight slot of {Capacity} became free; refused a request of {Groups} trace groups after starting {Started}")]
    private static partial void LogOverloaded(ILogger logger, int capacity, int groups, int started);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trace grain {GrainKey} did not answer within {TimeoutMs} ms")]
    private static partial void LogCallTimedOut(ILogger logger, Exception exception, string grainKey, double timeoutMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trace grain call to {GrainKey} failed")]
    private static partial void LogCallFailed(ILogger logger, Exception exception, string grainKey);

    private sealed record GroupResult(TraceGroup Group, AppendResult? Append, string? Failure);
}
