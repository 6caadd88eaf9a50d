using System.Diagnostics;
using BeTrace.Dsl.Model;
using BeTrace.Grains.Catalog;
using BeTrace.Grains.Interfaces.Spans;
using BeTrace.Grains.Interfaces.Traces;
using BeTrace.Grains.Interfaces.Violations;
using BeTrace.Grains.Metrics;
using BeTrace.Grains.Violations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BeTrace.Grains.Traces;

/// <summary>
/// One live trace. Spans are appended (deduplicated by span id, capped), and a one-shot timer evaluates the
/// trace when it has been idle, reaches its maximum age or fills to the span cap. After evaluation the trace
/// is kept for a grace period: late spans join it and cause a re-evaluation, and a rule already reported is
/// never reported again. Rules come from the silo's <see cref="RuleCatalog"/>, so evaluation makes no grain call.
/// A graceful shutdown parks the live trace in storage; the activation that takes over resumes it.
/// </summary>
public sealed partial class TraceGrain : Grain, ITraceGrain, IGrainMigrationParticipant
{
    private const string MigrationKey = "betrace.trace";
    private static readonly TimeSpan IndexTimeout = TimeSpan.FromSeconds(2);

    private readonly RuleCatalog _catalog;
    private readonly IViolationSink _sink;
    private readonly TraceOptions _options;
    private readonly ViolationExportOptions _violationOptions;
    private readonly TimeProvider _time;
    private readonly IPersistentState<ParkedTrace> _parked;
    private readonly BeTraceMetrics _metrics;
    private readonly ILogger<TraceGrain> _logger;

    private readonly List<WireSpan> _spans = [];
    private readonly HashSet<ulong> _spanIds = [];
    private readonly HashSet<string> _reportedRuleIds = new(StringComparer.Ordinal);
    private long _bytes;
    private int _dropped;
    private int _evaluations;
    private bool _pending;
    private bool _counted;
    private DateTimeOffset _firstSpanAt;
    private DateTimeOffset? _evaluatedAt;
    private IGrainTimer? _timer;
    private TraceKey _key;

    public TraceGrain(
        RuleCatalog catalog,
        IViolationSink sink,
        IOptions<TraceOptions> options,
        IOptions<ViolationExportOptions> violationOptions,
        TimeProvider time,
        [PersistentState("trace", BeTraceStorage.Traces)] IPersistentState<ParkedTrace> parked,
        BeTraceMetrics metrics,
        ILogger<TraceGrain> logger)
    {
        _catalog = catalog;
        _sink = sink;
        _options = options.Value;
        _violationOptions = violationOptions.Value;
        _time = time;
        _parked = parked;
        _metrics = metrics;
        _logger = logger;
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = TraceKey.Parse(this.GetPrimaryKeyString());
        if (_spans.Count == 0 && _parked.RecordExists && _parked.State.Spans.Count > 0)
        {
            Restore(_parked.State);
            LogResumed(_key.ToString(), _spans.Count);
        }
        if (_spans.Count > 0)
        {
            CountActive();
            ArmTimer(_pending ? NextEvaluationDelay() : _options.LateSpanGrace);
        }
        return Task.CompletedTask;
    }

    public async Task<AppendResult> Append(SpanBatch batch)
    {
        var now = _time.GetUtcNow();
        int accepted = 0, duplicates = 0, dropped = 0;
        foreach (var span in batch.Spans)
        {
            if (_spanIds.Contains(span.SpanId))
            {
                duplicates++;
                continue;
            }
            var bytes = span.EstimatedBytes;
            if (_spans.Count >= _options.MaxSpans || _bytes + bytes > _options.MaxTraceBytes)
            {
                dropped++;
                continue;
            }
            if (_spans.Count == 0)
            {
                _firstSpanAt = now;
            }
            _spans.Add(span);
            _spanIds.Add(span.SpanId);
            _bytes += bytes;
            accepted++;
        }
        _dropped += dropped;
        RecordAppend(accepted, duplicates, dropped);
        if (accepted > 0)
        {
            CountActive();
            _pending = true;
            if (_spans.Count >= _options.MaxSpans)
            {
                await Evaluate();
                ArmTimer(_options.LateSpanGrace);
            }
            else
            {
                ArmTimer(NextEvaluationDelay());
            }
        }
        return new AppendResult(accepted, duplicates, dropped);
    }

    /// <summary>Nothing to do: activating the grain (<see cref="OnActivateAsync"/>) resumes a parked trace.</summary>
    public Task Resume() => Task.CompletedTask;

    public Task<TraceState> Describe() => Task.FromResult(new TraceState(
        _spans.Count, _dropped, _evaluations, _reportedRuleIds.Order(StringComparer.Ordinal).ToArray(), _evaluatedAt is not null, RuntimeIdentity));

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_spans.Count == 0)
        {
            return;
        }
        if (reason.ReasonCode == DeactivationReasonCode.Migrating)
        {
            // The state travels in the dehydration context; nothing to store.
        }
        else if (reason.ReasonCode == DeactivationReasonCode.ShuttingDown && (_pending || WithinGrace()))
        {
            await Park(cancellationToken);
        }
        else if (_pending)
        {
            // Deactivated for another reason before it went idle: evaluate what we have rather than lose it.
            await Evaluate();
        }
        UncountActive();
    }

    public void OnDehydrate(IDehydrationContext dehydrationContext) =>
        dehydrationContext.TryAddValue(MigrationKey, Snapshot());

    public void OnRehydrate(IRehydrationContext rehydrationContext)
    {
        if (rehydrationContext.TryGetValue<ParkedTrace>(MigrationKey, out var state) && state is not null)
        {
            Restore(state);
        }
    }

    private async Task OnTimer(CancellationToken cancellationToken)
    {
        if (_pending)
        {
            await Evaluate();
            ArmTimer(_options.LateSpanGrace);
            return;
        }
        // The grace period ended without late spans: the trace is done.
        if (_parked.RecordExists)
        {
            await _parked.ClearStateAsync(cancellationToken);
        }
        UncountActive();
        _spans.Clear();
        _spanIds.Clear();
        DeactivateOnIdle();
    }

    private async Task Evaluate()
    {
        var started = Stopwatch.GetTimestamp();
        var now = _time.GetUtcNow();
        if (_evaluatedAt is not null)
        {
            _metrics.LateSpans.Add(1, Tenant());
        }
        var rules = _catalog.For(_key.Tenant);
        var trace = TraceModelBuilder.Build(_key.TraceIdHex, _spans);
        var complete = TraceCompleteness.IsComplete(_spans, _spanIds);
        List<ViolationRecord>? violations = null;
        foreach (var rule in rules.Rules)
        {
            if (_reportedRuleIds.Contains(rule.Definition.Id))
            {
                continue;
            }
            var verdict = rule.Compiled.Evaluate(trace);
            if (!verdict.Violated)
            {
                continue;
            }
            _reportedRuleIds.Add(rule.Definition.Id);
            (violations ??= []).Add(ViolationFactory.Create(
                _key.Tenant, trace, _key.TraceIdHex, rule, verdict, complete, now, _violationOptions.SigningKey));
        }
        _pending = false;
        _evaluatedAt = now;
        _evaluations++;
        _metrics.TracesEvaluated.Add(1, Tenant());
        _metrics.EvaluationLatency.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, Tenant());
        if (violations is not null)
        {
            await _sink.Publish(violations);
        }
    }

    private TimeSpan NextEvaluationDelay()
    {
        if (_evaluatedAt is not null)
        {
            return _options.IdleTimeout;
        }
        var untilMaxAge = _firstSpanAt + _options.MaxTraceAge - _time.GetUtcNow();
        return untilMaxAge < _options.IdleTimeout ? (untilMaxAge > TimeSpan.Zero ? untilMaxAge : TimeSpan.Zero) : _options.IdleTimeout;
    }

    private bool WithinGrace() => _evaluatedAt is { } at && _time.GetUtcNow() < at + _options.LateSpanGrace;

    private void ArmTimer(TimeSpan due)
    {
        if (_timer is null)
        {
            _timer = this.RegisterGrainTimer(static (grain, cancellation) => grain.OnTimer(cancellation), this,
                new GrainTimerCreationOptions { DueTime = due, Period = Timeout.InfiniteTimeSpan, Interleave = false, KeepAlive = true });
        }
        else
        {
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task Park(CancellationToken cancellationToken)
    {
        _parked.State = Snapshot();
        try
        {
            await _parked.WriteStateAsync(cancellationToken);
            _metrics.TracesParked.Add(1, Tenant());
            LogParked(_key.ToString(), _spans.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Storage is unavailable: evaluating now is better than losing the trace silently.
            LogParkFailed(ex, _key.ToString());
            if (_pending)
            {
                await Evaluate();
            }
            return;
        }
        try
        {
            // Another silo resumes it from the index even if no further span of this trace ever arrives.
            // Bounded: when the whole cluster stops, the index may already be gone, and shutdown must not wait for it.
            await GrainFactory.GetGrain<IParkedTraceIndexGrain>(0).Add(_key.ToString()).WaitAsync(IndexTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            // The trace is safe in storage; it resumes when its next span arrives.
            LogIndexFailed(ex, _key.ToString());
        }
    }

    private ParkedTrace Snapshot() => new()
    {
        Spans = [.. _spans],
        FirstSpanAt = _firstSpanAt,
        EvaluatedAt = _evaluatedAt,
        ReportedRuleIds = [.. _reportedRuleIds],
        Dropped = _dropped,
        Evaluations = _evaluations,
        Pending = _pending,
    };

    private void Restore(ParkedTrace state)
    {
        foreach (var span in state.Spans)
        {
            if (_spanIds.Add(span.SpanId))
            {
                _spans.Add(span);
                _bytes += span.EstimatedBytes;
            }
        }
        _firstSpanAt = state.FirstSpanAt;
        _evaluatedAt = state.EvaluatedAt;
        _reportedRuleIds.UnionWith(state.ReportedRuleIds);
        _dropped = state.Dropped;
        _evaluations = state.Evaluations;
        _pending = state.Pending;
    }

    private void RecordAppend(int accepted, int duplicates, int dropped)
    {
        var tenant = Tenant();
        if (accepted > 0)
        {
            _metrics.SpansAccepted.Add(accepted, tenant);
        }
        if (duplicates > 0)
        {
            _metrics.SpansDuplicate.Add(duplicates, tenant);
        }
        if (dropped > 0)
        {
            _metrics.SpansDropped.Add(dropped, tenant);
        }
    }

    private void CountActive()
    {
        if (!_counted)
        {
            _counted = true;
            _metrics.TracesActive.Add(1, Tenant());
        }
    }

    private void UncountActive()
    {
        if (_counted)
        {
            _counted = false;
            _metrics.TracesActive.Add(-1, Tenant());
        }
    }

    private KeyValuePair<string, object?> Tenant() => new("tenant", _key.Tenant);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trace {Trace}: resumed with {Spans} spans parked at a shutdown")]
    private partial void LogResumed(string trace, int spans);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trace {Trace}: parked {Spans} spans for the silo shutdown")]
    private partial void LogParked(string trace, int spans);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trace {Trace}: parked, but not listed for resumption; it resumes when its next span arrives")]
    private partial void LogIndexFailed(Exception exception, string trace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trace {Trace}: could not park the live trace at shutdown; evaluating it now")]
    private partial void LogParkFailed(Exception exception, string trace);
}
