using System.Diagnostics;
using BeTrace.Grains.Interfaces.Rules;
using BeTrace.Grains.Interfaces.Spans;
using BeTrace.Grains.Interfaces.Traces;

namespace BeTrace.Grains.Tests.Cluster;

/// <summary>Helpers shared by the cluster tests: trace ids, spans, rules and polling for asynchronous effects.</summary>
public abstract class ClusterTestBase
{
    private static int _traceCounter;

    protected static readonly WireResource CheckoutResource = new([new WireAttribute("service.name", WireValue.Of("checkout"))]);

    protected static string NewTraceId() =>
        $"{Environment.ProcessId:x8}{Interlocked.Increment(ref _traceCounter):x8}{Random.Shared.NextInt64():x16}";

    protected static WireSpan Span(ulong id, string name, ulong parent = 0, params (string Key, WireValue Value)[] attributes) =>
        new(id, parent, name, Kind: 2, Status: 0, StartUnixNanos: 1_000_000, EndUnixNanos: 2_000_000,
            attributes.Select(a => new WireAttribute(a.Key, a.Value)).ToArray(), CheckoutResource);

    protected static SpanBatch Batch(params WireSpan[] spans) => new(spans);

    protected static RuleDraft Rule(string id, string expression, Severity severity = Severity.High) =>
        new(id, $"rule {id}", expression, severity, ComplianceFramework: "SOC2", ComplianceControl: "CC7.2");

    protected static ITraceGrain Trace(IGrainFactory grains, string tenant, string traceId) =>
        grains.GetGrain<ITraceGrain>(new TraceKey(tenant, traceId).ToString());

    /// <summary>Polls until <paramref name="condition"/> holds (timer callbacks run asynchronously after the clock moves).</summary>
    protected static async Task WaitUntil(Func<Task<bool>> condition, string what, int timeoutSeconds = 20)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(timeoutSeconds))
            {
                Assert.Fail($"timed out after {timeoutSeconds} s waiting for {what}");
            }
            await Task.Delay(20);
        }
    }

    protected static Task WaitUntil(Func<bool> condition, string what, int timeoutSeconds = 20) =>
        WaitUntil(() => Task.FromResult(condition()), what, timeoutSeconds);
}
