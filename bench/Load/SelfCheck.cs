using System.Buffers.Binary;
using System.Diagnostics;
using BeTrace.Gateway.Otlp.Collector.Trace;
using BeTrace.Gateway.Otlp.Common;
using BeTrace.Gateway.Otlp.Trace;
using Google.Protobuf;

namespace BeTrace.Bench.Load;

/// <summary>
/// <c>load --check</c>: checks the generator's parts without a silo — the rules against their mutations, request
/// patching, the Prometheus parser, the sender against the generator's own receiver (gRPC and HTTP), detection
/// matching, and short baselines. Prints one line per check and "N passed, N failed".
/// </summary>
internal static class SelfCheck
{
    public static async Task<int> RunAsync(LoadOptions options, TextWriter output)
    {
        var passed = 0;
        var failed = 0;
        void Check(string name, bool ok, string detail = "")
        {
            output.WriteLine($"{(ok ? "ok  " : "FAIL")} {name}{(detail.Length > 0 ? ": " + detail : "")}");
            if (ok)
            {
                passed++;
            }
            else
            {
                failed++;
            }
        }

        // 1. Rules: all compile; normal traces violate none; each mutation violates exactly its rule.
        var rules = LoadRuleSet.Compile(LoadRuleSet.Count);
        Check("50 load rules compile", rules.Length == LoadRuleSet.Count);
        foreach (var attributes in new[] { 0, options.AttributesPerSpan })
        {
            var factory = new TraceFactory(options.SpansPerTrace, attributes);
            var problems = LoadRuleSet.Verify(factory, rules, samples: 5, seed: options.Seed);
            Check($"each rule's mutation violates exactly that rule ({attributes} attributes, 5 samples x 51 cases)",
                problems.Count == 0, string.Join("; ", problems.Take(5)));
        }
        var distinct = LoadRuleSet.All.Select(r => r.Expression).Distinct(StringComparer.Ordinal).Count();
        Check("rule expressions are distinct", distinct == LoadRuleSet.Count, $"{distinct}");

        // 2. Request pool: sizes, share of violating traces, patching gives new unique ids to whole traces.
        var small = LoadOptions.Parse(["--pool", "8", "--batch", "500", "--violating", "0.1", "--seed", options.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var trafficFactory = new TraceFactory(small.SpansPerTrace, small.AttributesPerSpan);
        var pool = RequestPool.Build(small, trafficFactory);
        Check("pool: 25 traces of 20 spans per request", pool.TracesPerRequest == 25 && pool.Requests.All(r => r.SpanCount == 500),
            $"{pool.TracesPerRequest} traces, {pool.Requests[0].SpanCount} spans");
        Check("pool: 10% of traces violate", pool.ViolatingTraces == pool.TotalTraces / 10, $"{pool.ViolatingTraces} of {pool.TotalTraces}");
        var buffer = new byte[pool.MaxBytes];
        var ids = new UInt128[pool.TracesPerRequest];
        var seen = new HashSet<UInt128>();
        var patchOk = true;
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < pool.Requests.Count; i++)
            {
                var length = pool.Materialize(i, buffer, ids);
                var parsed = ExportTraceServiceRequest.Parser.ParseFrom(buffer, 0, length);
                var spansById = parsed.ResourceSpans.SelectMany(r => r.ScopeSpans).SelectMany(s => s.Spans)
                    .GroupBy(s => BinaryPrimitives.ReadUInt128BigEndian(s.TraceId.Span))
                    .ToDictionary(g => g.Key, g => g.Count());
                patchOk &= spansById.Count == ids.Length && ids.All(id => spansById.GetValueOrDefault(id) == pool.SpansPerTrace);
                foreach (var id in ids)
                {
                    patchOk &= seen.Add(id);
                }
            }
        }
        Check("patched requests parse, every trace gets a new unique id on every send", patchOk, $"{seen.Count} ids");

        // 3. Prometheus text parsing.
        const string text = """
            # HELP betrace_traces_evaluated_total Trace evaluations.
            # TYPE betrace_traces_evaluated_total counter
            betrace_traces_evaluated_total{otel_scope_name="BeTrace",tenant="a"} 10 1700000000000
            betrace_traces_evaluated_total{otel_scope_name="BeTrace",tenant="b\"}{x"} 5
            dotnet_gc_last_collection_heap_size_bytes{gc_heap_generation="gen0"} 1.5e3
            dotnet_gc_last_collection_heap_size_bytes{gc_heap_generation="loh"} 500
            betrace_evaluation_duration_milliseconds_bucket{le="+Inf"} 7
            betrace_traces_active 42
            """;
        var snapshot = PrometheusScraper.Parse(text, 0);
        Check("Prometheus parser: sums over label sets, escaped labels, timestamps, exponents",
            snapshot.Sum(SiloMetrics.TracesEvaluated) == 15 && snapshot.Sum(SiloMetrics.HeapSize) == 2000
            && snapshot.Sum(SiloMetrics.TracesActive) == 42 && snapshot.Sum(SiloMetrics.HeapSize, "loh") == 500
            && snapshot.Sum(SiloMetrics.EvaluationBucket) == 7,
            $"{snapshot.Sum(SiloMetrics.TracesEvaluated)} {snapshot.Sum(SiloMetrics.HeapSize)} {snapshot.Sum(SiloMetrics.TracesActive)}");

        // 4. Receiver + sender + detection matching, over gRPC and HTTP.
        var tracker = new DetectionTracker(TimeSpan.Zero);
        await using (var receiver = await ViolationReceiver.StartAsync(tracker, 0, 0).ConfigureAwait(false))
        {
            foreach (var protocol in new[] { SendProtocol.Grpc, SendProtocol.Http })
            {
                using var sender = new OtlpSender(protocol, receiver.GrpcEndpoint, receiver.HttpEndpoint, "default", 1);
                var traceId = (UInt128)Random.Shared.NextInt64(1, long.MaxValue) << 64 | (ulong)protocol;
                var sent = Stopwatch.GetTimestamp();
                tracker.Expect(traceId, "load-07", sent, measured: true);
                var before = tracker.Detected;
                var result = await sender.SendAsync(ViolationRequest(traceId, "load-07"), CancellationToken.None).ConfigureAwait(false);
                Check($"{protocol}: sender to own receiver answered OK", result.Ok, result.Error ?? "");
                Check($"{protocol}: violation matched by trace id and rule id", tracker.Detected == before + 1);
            }
            using (var sender = new OtlpSender(SendProtocol.Grpc, receiver.GrpcEndpoint, receiver.HttpEndpoint, "default", 1))
            {
                await sender.SendAsync(ViolationRequest(12345, "load-01"), CancellationToken.None).ConfigureAwait(false);
                var wrong = (UInt128)777;
                tracker.Expect(wrong, "load-02", Stopwatch.GetTimestamp(), measured: true);
                await sender.SendAsync(ViolationRequest(wrong, "load-03"), CancellationToken.None).ConfigureAwait(false);
            }
            var latencies = tracker.Latencies();
            Check("unknown trace counted as unexpected, other rule as wrong rule; latencies measured",
                tracker.Unexpected == 1 && tracker.WrongRule == 1 && latencies.Length == 2 && latencies.All(l => l >= 0 && l < 5000),
                $"unexpected {tracker.Unexpected}, wrong {tracker.WrongRule}, latencies [{string.Join(", ", latencies.Select(l => l.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))}] ms");
        }
        using (var refused = new OtlpSender(SendProtocol.Grpc, new Uri("http://127.0.0.1:9"), new Uri("http://127.0.0.1:9"), "default", 1))
        {
            var result = await refused.SendAsync(ViolationRequest(1, "x"), CancellationToken.None).ConfigureAwait(false);
            Check("a refused connection is a rejected request, not an exception", !result.Ok, result.Error ?? "");
        }

        // 5. Baselines run and the engine sees exactly the designed violations.
        var decode = Baselines.DecodeOnly(pool, TimeSpan.FromMilliseconds(500));
        Check("decode-only baseline runs", decode.Spans > 0, $"{decode.SpansPerSecond:N0} spans/s");
        var engine = Baselines.EngineOnly(pool, rules, TimeSpan.FromMilliseconds(500));
        Check("engine-only baseline: every trace violates exactly what it was built to", engine.Mismatches == 0 && engine.Spans > 0,
            $"{engine.Mismatches} mismatches, {engine.SpansPerSecond:N0} spans/s");

        output.WriteLine($"{passed} passed, {failed} failed");
        return failed == 0 ? 0 : 1;
    }

    private static byte[] ViolationRequest(UInt128 traceId, string ruleId)
    {
        var id = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(id, traceId);
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(id),
            SpanId = ByteString.CopyFrom([1, 2, 3, 4, 5, 6, 7, 8]),
            Name = ViolationReceiver.ViolationSpanName,
            Kind = Span.Types.SpanKind.Internal,
        };
        span.Attributes.Add(new KeyValue { Key = "betrace.violation", Value = new AnyValue { BoolValue = true } });
        span.Attributes.Add(new KeyValue { Key = ViolationReceiver.RuleIdAttribute, Value = new AnyValue { StringValue = ruleId } });
        var scope = new ScopeSpans();
        scope.Spans.Add(span);
        var resource = new ResourceSpans();
        resource.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resource);
        return request.ToByteArray();
    }
}
