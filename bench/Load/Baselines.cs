using System.Buffers.Binary;
using System.Diagnostics;
using BeTrace.Dsl.Evaluation;
using BeTrace.Dsl.Model;
using BeTrace.Gateway.Otlp.Collector.Trace;

namespace BeTrace.Bench.Load;

/// <summary>Result of one in-process baseline.</summary>
internal sealed record BaselineResult(
    string Name, long Spans, long Traces, TimeSpan Elapsed, long AllocatedBytes, long Violations, int Mismatches,
    TimeSpan ConvertTime, TimeSpan EvaluateTime)
{
    public double SpansPerSecond => Spans / Elapsed.TotalSeconds;

    public double AllocatedPerSpan => Spans == 0 ? 0 : (double)AllocatedBytes / Spans;
}

/// <summary>
/// The two baselines, on the same serialized requests as the load run, each on one thread (one core):
/// decode only (<c>ExportTraceServiceRequest.Parser.ParseFrom</c>) and engine only (convert to the DSL model, group by
/// trace id, build the <see cref="TraceView"/>, evaluate every rule) — no Orleans, no network.
/// </summary>
internal static class Baselines
{
    public static BaselineResult DecodeOnly(RequestPool pool, TimeSpan time)
    {
        ArgumentNullException.ThrowIfNull(pool);
        // Warm-up (JIT) outside the measurement.
        foreach (var request in pool.Requests)
        {
            ExportTraceServiceRequest.Parser.ParseFrom(request.Bytes);
        }
        long spans = 0;
        long traces = 0;
        long checksum = 0;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < time)
        {
            foreach (var request in pool.Requests)
            {
                var parsed = ExportTraceServiceRequest.Parser.ParseFrom(request.Bytes);
                checksum += parsed.ResourceSpans.Count;
                spans += request.SpanCount;
                traces += request.Slots.Length;
            }
        }
        watch.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        GC.KeepAlive(checksum);
        return new BaselineResult("decode only", spans, traces, watch.Elapsed, allocated, 0, 0, TimeSpan.Zero, TimeSpan.Zero);
    }

    public static BaselineResult EngineOnly(RequestPool pool, CompiledRule[] rules, TimeSpan time)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(rules);
        var parsed = pool.Requests.Select(r => ExportTraceServiceRequest.Parser.ParseFrom(r.Bytes)).ToArray();
        // What each trace should violate, by its (placeholder) trace id.
        var expected = new Dictionary<UInt128, int>();
        foreach (var request in pool.Requests)
        {
            foreach (var slot in request.Slots)
            {
                expected[BinaryPrimitives.ReadUInt128BigEndian(request.Bytes.AsSpan(slot.Offsets[0], 16))] = slot.Rule;
            }
        }

        var groups = new Dictionary<UInt128, DslConverter.TraceGroup>();
        var mismatches = 0;
        // First pass: warm-up and check that every trace violates exactly what it was built to violate.
        for (var i = 0; i < parsed.Length; i++)
        {
            groups.Clear();
            DslConverter.Group(parsed[i], groups);
            foreach (var (traceId, group) in groups)
            {
                var view = new TraceView(group.Spans);
                var violated = -1;
                var count = 0;
                for (var r = 0; r < rules.Length; r++)
                {
                    if (rules[r].Evaluate(view).Violated)
                    {
                        violated = r;
                        count++;
                    }
                }
                if (count > 1 || violated != expected[traceId])
                {
                    mismatches++;
                }
            }
        }

        long spans = 0;
        long traces = 0;
        long violations = 0;
        long convertTicks = 0;
        long evaluateTicks = 0;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < time)
        {
            for (var i = 0; i < parsed.Length; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                groups.Clear();
                DslConverter.Group(parsed[i], groups);
                var t1 = Stopwatch.GetTimestamp();
                foreach (var group in groups.Values)
                {
                    var view = new TraceView(group.Spans);
                    for (var r = 0; r < rules.Length; r++)
                    {
                        if (rules[r].Evaluate(view).Violated)
                        {
                            violations++;
                        }
                    }
                }
                var t2 = Stopwatch.GetTimestamp();
                convertTicks += t1 - t0;
                evaluateTicks += t2 - t1;
                spans += pool.Requests[i].SpanCount;
                traces += groups.Count;
            }
        }
        watch.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        return new BaselineResult("engine only", spans, traces, watch.Elapsed, allocated, violations, mismatches,
            Stopwatch.GetElapsedTime(0, convertTicks), Stopwatch.GetElapsedTime(0, evaluateTicks));
    }
}
