using System.Buffers.Binary;
using Google.Protobuf;

namespace BeTrace.Bench.Load;

/// <summary>One trace inside a pooled request: where its trace id sits in the serialized bytes, and what it violates.</summary>
internal sealed record TraceSlot(int[] Offsets, int SpanCount, int Rule);

/// <summary>A serialized export request, built once; each send patches fresh trace ids into a copy.</summary>
internal sealed record PooledRequest(byte[] Bytes, int SpanCount, TraceSlot[] Slots);

/// <summary>
/// The generated traffic: <c>--pool</c> distinct serialized export requests of whole traces (about <c>--batch</c>
/// spans each), a fixed share of whose traces violate exactly one known rule, the rules taken in turn. Sending a
/// request copies its bytes and writes a new, unique trace id over each trace's 16 id bytes (found once by searching
/// the serialized request for the random placeholder ids), so every send is new traces at the cost of a memcpy.
/// The baselines use the same bytes.
/// </summary>
internal sealed class RequestPool
{
    private readonly ulong _prefix;
    private long _counter;

    private RequestPool(List<PooledRequest> requests, int spansPerTrace, ulong prefix)
    {
        Requests = requests;
        SpansPerTrace = spansPerTrace;
        _prefix = prefix;
        MaxBytes = requests.Max(r => r.Bytes.Length);
    }

    public IReadOnlyList<PooledRequest> Requests { get; }

    public int SpansPerTrace { get; }

    public int MaxBytes { get; }

    public int TracesPerRequest => Requests[0].Slots.Length;

    public int TotalTraces => Requests.Sum(r => r.Slots.Length);

    public int ViolatingTraces => Requests.Sum(r => r.Slots.Count(s => s.Rule >= 0));

    public static RequestPool Build(LoadOptions options, TraceFactory factory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(factory);
        var rng = new Random(options.Seed);
        var tracesPerRequest = Math.Max(1, options.SpansPerRequest / options.SpansPerTrace);
        var baseNanos = (ulong)(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000);
        var requests = new List<PooledRequest>(options.PoolSize);
        var traceIndex = 0;
        var violations = 0;
        for (var r = 0; r < options.PoolSize; r++)
        {
            var traces = new List<TraceWire>(tracesPerRequest);
            for (var t = 0; t < tracesPerRequest; t++, traceIndex++)
            {
                var spec = factory.Normal(rng);
                // Exactly the share: trace i violates when floor((i + 1) * share) passes an integer.
                if (Math.Floor((traceIndex + 1) * options.ViolatingShare) > Math.Floor(traceIndex * options.ViolatingShare))
                {
                    var rule = violations++ % options.RuleCount;
                    LoadRuleSet.All[rule].Violate(spec);
                    spec.ViolatedRule = rule;
                }
                traces.Add(TraceWire.Create(spec, rng));
            }
            var request = RequestBuilder.Build(traces, baseNanos + (ulong)r * 1_000_000);
            var bytes = request.ToByteArray();
            var slots = new TraceSlot[traces.Count];
            for (var t = 0; t < traces.Count; t++)
            {
                var offsets = FindAll(bytes, traces[t].TraceId);
                if (offsets.Length != traces[t].Spec.Spans.Count)
                {
                    throw new InvalidOperationException(
                        $"request {r} trace {t}: found its id {offsets.Length} times, expected {traces[t].Spec.Spans.Count}");
                }
                slots[t] = new TraceSlot(offsets, traces[t].Spec.Spans.Count, traces[t].Spec.ViolatedRule);
            }
            requests.Add(new PooledRequest(bytes, RequestBuilder.CountSpans(request), slots));
        }
        var prefix = (ulong)new Random(options.Seed ^ Environment.TickCount).NextInt64() | 1UL << 63;
        return new RequestPool(requests, options.SpansPerTrace, prefix);
    }

    /// <summary>
    /// Copies request <paramref name="index"/> into <paramref name="buffer"/> with a new unique trace id per trace,
    /// written into <paramref name="traceIds"/> (one per slot). Returns the length.
    /// </summary>
    public int Materialize(int index, byte[] buffer, Span<UInt128> traceIds)
    {
        var request = Requests[index];
        request.Bytes.CopyTo(buffer, 0);
        Span<byte> id = stackalloc byte[16];
        for (var s = 0; s < request.Slots.Length; s++)
        {
            var counter = (ulong)Interlocked.Increment(ref _counter);
            BinaryPrimitives.WriteUInt64BigEndian(id, _prefix);
            BinaryPrimitives.WriteUInt64BigEndian(id[8..], counter);
            foreach (var offset in request.Slots[s].Offsets)
            {
                id.CopyTo(buffer.AsSpan(offset, 16));
            }
            traceIds[s] = BinaryPrimitives.ReadUInt128BigEndian(id);
        }
        return request.Bytes.Length;
    }

    private static int[] FindAll(byte[] haystack, byte[] needle)
    {
        var found = new List<int>();
        var position = 0;
        while (true)
        {
            var at = haystack.AsSpan(position).IndexOf(needle);
            if (at < 0)
            {
                return [.. found];
            }
            found.Add(position + at);
            position += at + needle.Length;
        }
    }
}
