using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;

namespace BeTrace.Bench.Load;

/// <summary>
/// The end-to-end phase against a running silo: a probe (one violating trace per rule must come back with the right
/// rule id), then the load (warm-up, measured window), then a drain for the last violations. A progress line goes to
/// stderr every second; the report to <paramref name="report"/>.
/// </summary>
internal sealed class EndToEndRun(LoadOptions options, RequestPool pool, TraceFactory factory, DetectionTracker tracker,
    PrometheusScraper scraper, TextWriter report)
{
    private readonly SendCounters _all = new();
    private readonly SendCounters _measured = new();
    private readonly Lock _exportLock = new();
    private readonly List<double> _exportMs = [];
    private long _sequence;
    private long _inFlight;

    public async Task<bool> RunAsync()
    {
        using var sender = new OtlpSender(options.Protocol, options.OtlpGrpc, options.OtlpHttp, options.Tenant, options.Concurrency);
        var first = await scraper.TryScrapeAsync().ConfigureAwait(false);
        if (first is null)
        {
            report.WriteLine($"warning: {scraper.Url} did not answer; traces evaluated/s and silo figures will be missing");
        }
        if (options.Probe && !await ProbeAsync(sender).ConfigureAwait(false))
        {
            return false;
        }
        await LoadAsync(sender).ConfigureAwait(false);
        return true;
    }

    /// <summary>One request with one violating trace per rule (and one normal trace); every violation must come back.</summary>
    private async Task<bool> ProbeAsync(OtlpSender sender)
    {
        var rng = new Random(options.Seed + 1000);
        var traces = new List<TraceWire>();
        for (var r = 0; r < options.RuleCount; r++)
        {
            var spec = factory.Normal(rng);
            LoadRuleSet.All[r].Violate(spec);
            spec.ViolatedRule = r;
            traces.Add(TraceWire.Create(spec, rng));
        }
        traces.Add(TraceWire.Create(factory.Normal(rng), rng));
        var bytes = RequestBuilder.Build(traces, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000).ToByteArray();
        var sent = Stopwatch.GetTimestamp();
        foreach (var trace in traces.Where(t => t.Spec.ViolatedRule >= 0))
        {
            tracker.Expect(System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(trace.TraceId), LoadRuleSet.All[trace.Spec.ViolatedRule].Id, sent, measured: false);
        }
        var result = await sender.SendAsync(bytes, CancellationToken.None).ConfigureAwait(false);
        if (!result.Ok)
        {
            report.WriteLine($"probe: the export was refused ({result.Error}); is the silo accepting OTLP at {(options.Protocol == SendProtocol.Grpc ? options.OtlpGrpc : options.OtlpHttp)}?");
            return false;
        }
        var deadline = options.IdleTimeout + TimeSpan.FromSeconds(30);
        var watch = Stopwatch.StartNew();
        while (tracker.Detected < options.RuleCount && watch.Elapsed < deadline)
        {
            await Task.Delay(100).ConfigureAwait(false);
        }
        var ok = tracker.Detected == options.RuleCount && tracker.Unexpected == 0 && tracker.WrongRule == 0;
        report.WriteLine($"probe: {tracker.Detected}/{options.RuleCount} violations back with the right rule in {watch.Elapsed.TotalSeconds:F1} s "
            + $"(unexpected {tracker.Unexpected}, wrong rule {tracker.WrongRule}, partial_success rejected {result.RejectedSpans}){(ok ? "" : " — FAILED")}"
            + (tracker.FirstUnexpected is { } u ? $"; first unexpected: {u}" : ""));
        return ok;
    }

    private async Task LoadAsync(OtlpSender sender)
    {
        var spansPerRequest = pool.Requests[0].SpanCount;
        var start = Stopwatch.GetTimestamp();
        var measureStart = start + (long)(options.Warmup.TotalSeconds * Stopwatch.Frequency);
        var end = measureStart + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        var interval = options.Rate > 0 ? spansPerRequest / options.Rate * Stopwatch.Frequency : 0;

        report.WriteLine($"load: {options.Protocol} to {(options.Protocol == SendProtocol.Grpc ? options.OtlpGrpc : options.OtlpHttp)}, "
            + $"{(options.Rate > 0 ? $"{options.Rate:N0} spans/s offered" : "as fast as possible")}, concurrency {options.Concurrency}, "
            + $"{spansPerRequest} spans ({pool.TracesPerRequest} traces) per request, warm-up {options.Warmup.TotalSeconds:F0} s, "
            + $"measured {options.Duration.TotalSeconds:F0} s, idle timeout {options.IdleTimeout.TotalSeconds:F1} s; load average {MachineInfo.LoadAverage()}");

        using var stop = new CancellationTokenSource();
        var progress = ProgressAsync(start, measureStart, end, stop.Token);
        var workers = Enumerable.Range(0, options.Concurrency)
            .Select(_ => Task.Run(() => WorkerAsync(sender, start, measureStart, end, interval)))
            .ToArray();

        // Window boundaries: counters and a scrape at the start and at the end of the measured window.
        await DelayUntil(measureStart).ConfigureAwait(false);
        var atStart = await Boundary().ConfigureAwait(false);
        tracker.ResetLatencies();
        await DelayUntil(end).ConfigureAwait(false);
        var atEnd = await Boundary().ConfigureAwait(false);
        await Task.WhenAll(workers).ConfigureAwait(false);
        var lastSend = Stopwatch.GetTimestamp();

        // Drain: wait for the violations of the measured traces (idle timeout + --drain after the last send).
        var drainUntil = lastSend + (long)((options.IdleTimeout + options.Drain).TotalSeconds * Stopwatch.Frequency);
        while (tracker.PendingMeasured > 0 && Stopwatch.GetTimestamp() < drainUntil)
        {
            await Task.Delay(200).ConfigureAwait(false);
        }
        var afterDrain = await scraper.TryScrapeAsync().ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await progress.ConfigureAwait(false);

        Report(atStart, atEnd, afterDrain, spansPerRequest);
    }

    private async Task WorkerAsync(OtlpSender sender, long start, long measureStart, long end, double interval)
    {
        var buffer = new byte[pool.MaxBytes];
        var ids = new UInt128[pool.Requests.Max(r => r.Slots.Length)];
        while (true)
        {
            var sequence = Interlocked.Increment(ref _sequence) - 1;
            if (interval > 0)
            {
                var due = start + (long)(sequence * interval);
                if (due >= end)
                {
                    return;
                }
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait).ConfigureAwait(false);
                }
            }
            var index = (int)(sequence % pool.Requests.Count);
            var request = pool.Requests[index];
            var length = pool.Materialize(index, buffer, ids);
            var sent = Stopwatch.GetTimestamp();
            if (sent >= end)
            {
                return;
            }
            var measured = sent >= measureStart;
            for (var s = 0; s < request.Slots.Length; s++)
            {
                if (request.Slots[s].Rule >= 0)
                {
                    tracker.Expect(ids[s], LoadRuleSet.All[request.Slots[s].Rule].Id, sent, measured);
                }
            }
            Interlocked.Increment(ref _inFlight);
            var result = await sender.SendAsync(new ArraySegment<byte>(buffer, 0, length), CancellationToken.None).ConfigureAwait(false);
            Interlocked.Decrement(ref _inFlight);
            var elapsed = Stopwatch.GetElapsedTime(sent);
            _all.Record(request.SpanCount, request.Slots.Length, result);
            if (measured)
            {
                _measured.Record(request.SpanCount, request.Slots.Length, result);
                lock (_exportLock)
                {
                    _exportMs.Add(elapsed.TotalMilliseconds);
                }
            }
            if (!result.Ok)
            {
                for (var s = 0; s < request.Slots.Length; s++)
                {
                    if (request.Slots[s].Rule >= 0)
                    {
                        tracker.Forget(ids[s]);
                    }
                }
            }
        }
    }

    private sealed record BoundarySample(long Timestamp, TimeSpan OwnCpu, (long Busy, long Total)? Machine, MetricsSnapshot? Metrics, string LoadAverage);

    private async Task<BoundarySample> Boundary()
    {
        var timestamp = Stopwatch.GetTimestamp();
        var own = MachineInfo.OwnCpu();
        var machine = MachineInfo.MachineCpu();
        var metrics = await scraper.TryScrapeAsync().ConfigureAwait(false);
        return new BoundarySample(timestamp, own, machine, metrics, MachineInfo.LoadAverage());
    }

    private static async Task DelayUntil(long timestamp)
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait).ConfigureAwait(false);
        }
    }

    private async Task ProgressAsync(long start, long measureStart, long end, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var previous = (Time: start, Accepted: 0L, Sent: 0L, Own: MachineInfo.OwnCpu(), Metrics: await scraper.TryScrapeAsync(CancellationToken.None).ConfigureAwait(false));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = Stopwatch.GetTimestamp();
                var metrics = await scraper.TryScrapeAsync(cancellationToken).ConfigureAwait(false);
                var own = MachineInfo.OwnCpu();
                var seconds = Stopwatch.GetElapsedTime(previous.Time, now).TotalSeconds;
                var accepted = _all.SpansAccepted;
                var sent = _all.SpansSent;
                var phase = now < measureStart ? "warm-up" : now < end ? "measure" : "drain";
                var line = $"[{Stopwatch.GetElapsedTime(start, now).TotalSeconds,4:F0}s {phase,-7}] "
                    + $"sent {(sent - previous.Sent) / seconds,9:N0} spans/s, accepted {(accepted - previous.Accepted) / seconds,9:N0} spans/s "
                    + $"(rejected: {_all.RejectedRequests:N0} requests, {_all.SpansRejected:N0} spans), in flight {Interlocked.Read(ref _inFlight)}";
                if (metrics is not null && previous.Metrics is not null)
                {
                    var evaluated = (metrics.Sum(SiloMetrics.TracesEvaluated) - previous.Metrics.Sum(SiloMetrics.TracesEvaluated)) / seconds;
                    var siloCpu = (metrics.Sum(SiloMetrics.CpuSeconds) - previous.Metrics.Sum(SiloMetrics.CpuSeconds)) / seconds;
                    line += $" | evaluated {evaluated,7:N0} traces/s, active {metrics.Sum(SiloMetrics.TracesActive):N0}, "
                        + $"heap {metrics.Sum(SiloMetrics.HeapSize) / 1048576:N0} MiB, silo CPU {siloCpu * 100:F0}%";
                }
                var latencies = tracker.Latencies();
                line += $" | generator CPU {(own - previous.Own).TotalSeconds / seconds * 100:F0}%"
                    + $" | detected {tracker.Detected:N0}, pending {tracker.Pending:N0}"
                    + (latencies.Length > 0 ? $", p50 {DetectionTracker.Percentile(latencies, 50):F0} ms, p99 {DetectionTracker.Percentile(latencies, 99):F0} ms" : "")
                    + $" | load {MachineInfo.LoadAverage()}";
                await Console.Error.WriteLineAsync(line).ConfigureAwait(false);
                previous = (now, accepted, sent, own, metrics ?? previous.Metrics);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Report(BoundarySample atStart, BoundarySample atEnd, MetricsSnapshot? afterDrain, int spansPerRequest)
    {
        var seconds = Stopwatch.GetElapsedTime(atStart.Timestamp, atEnd.Timestamp).TotalSeconds;
        var m = _measured;
        var w = report;
        w.WriteLine();
        w.WriteLine($"== end to end ({seconds:F1} s measured; load average at start {atStart.LoadAverage}, at end {atEnd.LoadAverage})");
        w.WriteLine($"requests: {m.Requests:N0} sent, {m.OkRequests:N0} OK, {m.RejectedRequests:N0} rejected; "
            + $"spans sent {m.SpansSent:N0}, accepted {m.SpansAccepted:N0}, partial_success rejected {m.SpansRejected:N0}");
        foreach (var (error, count) in m.Errors.OrderByDescending(e => e.Value))
        {
            w.WriteLine($"  {count:N0} x {error}");
        }
        w.WriteLine($"spans/s accepted: {m.SpansAccepted / seconds:N0}   (sent {m.SpansSent / seconds:N0} spans/s, {m.TracesSent / seconds:N0} traces/s)");
        double[] exportMs;
        lock (_exportLock)
        {
            exportMs = [.. _exportMs];
        }
        Array.Sort(exportMs);
        if (exportMs.Length > 0)
        {
            w.WriteLine($"export call latency ({spansPerRequest} spans/request): p50 {DetectionTracker.Percentile(exportMs, 50):F1} ms, "
                + $"p99 {DetectionTracker.Percentile(exportMs, 99):F1} ms, max {exportMs[^1]:F1} ms");
        }

        if (atStart.Metrics is { } s0 && atEnd.Metrics is { } s1)
        {
            double Delta(string name) => s1.Sum(name) - s0.Sum(name);
            var evaluated = Delta(SiloMetrics.TracesEvaluated);
            w.WriteLine($"traces evaluated/s (silo {SiloMetrics.TracesEvaluated}): {evaluated / seconds:N0}   "
                + $"(= {evaluated / seconds * pool.SpansPerTrace:N0} spans/s of {pool.SpansPerTrace}-span traces); "
                + $"{SiloMetrics.TracesActive} {s0.Sum(SiloMetrics.TracesActive):N0} -> {s1.Sum(SiloMetrics.TracesActive):N0}; "
                + $"{SiloMetrics.SpansAccepted} {Delta(SiloMetrics.SpansAccepted) / seconds:N0}/s; dropped {Delta(SiloMetrics.SpansDropped):N0}");
            var siloCpu = Delta(SiloMetrics.CpuSeconds);
            var ownCpu = (atEnd.OwnCpu - atStart.OwnCpu).TotalSeconds;
            var machine = atStart.Machine is { } m0 && atEnd.Machine is { } m1
                ? $", whole machine {(double)(m1.Busy - m0.Busy) / (m1.Total - m0.Total) * Environment.ProcessorCount * 100:F0}%"
                : "";
            w.WriteLine($"CPU (100% = one core): silo {siloCpu / seconds * 100:F0}%, generator {ownCpu / seconds * 100:F0}%{machine}");
            var accepted = m.SpansAccepted;
            if (accepted > 0)
            {
                w.WriteLine($"silo CPU per accepted span: {siloCpu / accepted * 1e6:F2} µs; allocated per accepted span: "
                    + $"{Delta(SiloMetrics.Allocated) / accepted:N0} B ({Delta(SiloMetrics.Allocated) / seconds / 1048576:N0} MiB/s)");
            }
            var evalCount = Delta(SiloMetrics.EvaluationCount);
            if (evalCount > 0)
            {
                var evalMs = Delta(SiloMetrics.EvaluationSum);
                w.WriteLine($"evaluation (betrace_evaluation_duration_milliseconds): {evalCount:N0} evaluations, mean {evalMs / evalCount * 1000:F1} µs, "
                    + $"{evalMs / 1000 / seconds * 100:F1}% of one core");
            }
            var grainCalls = Delta(SiloMetrics.GrainCallCount);
            if (grainCalls > 0)
            {
                w.WriteLine($"grain calls (orleans_app_requests_latency): {grainCalls / seconds:N0}/s, mean {Delta(SiloMetrics.GrainCallSum) / grainCalls:F2} ms");
            }
            w.WriteLine($"GC: pause {Delta(SiloMetrics.GcPause) / seconds * 100:F1}% of the time, collections gen0 {s1.Sum(SiloMetrics.GcCollections, "gen0") - s0.Sum(SiloMetrics.GcCollections, "gen0"):N0} "
                + $"gen1 {s1.Sum(SiloMetrics.GcCollections, "gen1") - s0.Sum(SiloMetrics.GcCollections, "gen1"):N0} gen2 {s1.Sum(SiloMetrics.GcCollections, "gen2") - s0.Sum(SiloMetrics.GcCollections, "gen2"):N0}; "
                + $"heap {s1.Sum(SiloMetrics.HeapSize) / 1048576:N0} MiB, working set {s1.Sum(SiloMetrics.WorkingSet) / 1048576:N0} MiB, "
                + $"activations {s1.Sum(SiloMetrics.Activations):N0}, lock contentions {Delta(SiloMetrics.LockContentions) / seconds:N0}/s");
        }
        else
        {
            w.WriteLine("traces evaluated/s: n/a (no /metrics)");
        }

        var latencies = tracker.Latencies();
        w.WriteLine($"detection latency (arrival - last span sent - idle {options.IdleTimeout.TotalSeconds:F1} s), {latencies.Length:N0} violating traces: "
            + (latencies.Length == 0
                ? "n/a"
                : $"p50 {DetectionTracker.Percentile(latencies, 50):F0} ms, p90 {DetectionTracker.Percentile(latencies, 90):F0} ms, "
                    + $"p99 {DetectionTracker.Percentile(latencies, 99):F0} ms, max {latencies[^1]:F0} ms, min {latencies[0]:F0} ms"));
        w.WriteLine($"violations: {tracker.Detected:N0} matched (all phases), still missing {tracker.PendingMeasured:N0} of the measured window, "
            + $"unexpected {tracker.Unexpected:N0}, wrong rule {tracker.WrongRule:N0}, duplicates {tracker.Duplicates:N0}"
            + (tracker.FirstUnexpected is { } first ? $" (first: {first})" : ""));
        if (afterDrain is not null)
        {
            w.WriteLine($"after drain: {SiloMetrics.TracesEvaluated} {afterDrain.Sum(SiloMetrics.TracesEvaluated):N0}, {SiloMetrics.Violations} {afterDrain.Sum(SiloMetrics.Violations):N0}, "
                + $"{SiloMetrics.TracesActive} {afterDrain.Sum(SiloMetrics.TracesActive):N0}");
        }
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"targets: >= 100,000 spans/s sustained: {(m.SpansAccepted / seconds >= 100_000 ? "met" : "NOT met")}; "
            + $"p99 detection < 1 s: {(latencies.Length > 0 && DetectionTracker.Percentile(latencies, 99) < 1000 ? "met" : "NOT met")}"));
    }
}
