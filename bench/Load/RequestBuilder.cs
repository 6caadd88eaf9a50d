using System.Buffers.Binary;
using BeTrace.Gateway.Otlp.Collector.Trace;
using BeTrace.Gateway.Otlp.Common;
using BeTrace.Gateway.Otlp.Trace;
using Google.Protobuf;
using OtlpResource = BeTrace.Gateway.Otlp.Resource.Resource;

namespace BeTrace.Bench.Load;

/// <summary>A generated trace with its ids: a 16-byte trace id and one 8-byte span id per span.</summary>
internal sealed record TraceWire(TraceSpec Spec, byte[] TraceId, ulong[] SpanIds)
{
    public static TraceWire Create(TraceSpec spec, Random rng)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(rng);
        var traceId = new byte[16];
        do
        {
            rng.NextBytes(traceId);
        }
        while (traceId.AsSpan().IndexOfAnyExcept((byte)0) < 0);
        var spanIds = new ulong[spec.Spans.Count];
        for (var i = 0; i < spanIds.Length; i++)
        {
            do
            {
                spanIds[i] = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 33);
            }
            while (spanIds[i] == 0);
        }
        return new TraceWire(spec, traceId, spanIds);
    }
}

/// <summary>
/// Builds OTLP export requests from generated traces, as a Collector batches them: spans of every trace that share a
/// resource go into one <c>ResourceSpans</c> (one scope each), in order of first appearance.
/// </summary>
internal static class RequestBuilder
{
    public const string ScopeName = "betrace.loadgen";

    public static ExportTraceServiceRequest Build(IReadOnlyList<TraceWire> traces, ulong baseUnixNanos)
    {
        ArgumentNullException.ThrowIfNull(traces);
        var request = new ExportTraceServiceRequest();
        var byResource = new Dictionary<ServiceResource, ScopeSpans>(ReferenceEqualityComparer.Instance);
        var resourceValues = new Dictionary<ServiceResource, OtlpResource>(ReferenceEqualityComparer.Instance);
        foreach (var trace in traces)
        {
            var traceId = ByteString.CopyFrom(trace.TraceId);
            for (var i = 0; i < trace.Spec.Spans.Count; i++)
            {
                var spec = trace.Spec.Spans[i];
                if (!byResource.TryGetValue(spec.Resource, out var scope))
                {
                    scope = new ScopeSpans { Scope = new InstrumentationScope { Name = ScopeName, Version = "1.0.0" } };
                    var resource = new OtlpResource();
                    resource.Attributes.Add(spec.Resource.Attributes.Select(KeyValueOf));
                    resourceValues[spec.Resource] = resource;
                    var resourceSpans = new ResourceSpans { Resource = resource };
                    resourceSpans.ScopeSpans.Add(scope);
                    request.ResourceSpans.Add(resourceSpans);
                    byResource[spec.Resource] = scope;
                }
                var start = baseUnixNanos + (ulong)spec.StartOffsetNanos;
                var span = new Span
                {
                    TraceId = traceId,
                    SpanId = IdBytes(trace.SpanIds[i]),
                    ParentSpanId = spec.Parent < 0 ? ByteString.Empty : IdBytes(trace.SpanIds[spec.Parent]),
                    Name = spec.Name,
                    Kind = spec.Kind,
                    StartTimeUnixNano = start,
                    EndTimeUnixNano = start + (ulong)spec.DurationNanos,
                    Status = new Status { Code = spec.Status },
                    Flags = 0x101,
                };
                span.Attributes.Add(spec.Attributes.Select(KeyValueOf));
                scope.Spans.Add(span);
            }
        }
        return request;
    }

    public static int CountSpans(ExportTraceServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var count = 0;
        foreach (var resourceSpans in request.ResourceSpans)
        {
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                count += scopeSpans.Spans.Count;
            }
        }
        return count;
    }

    private static ByteString IdBytes(ulong id)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, id);
        return ByteString.CopyFrom(bytes);
    }

    private static KeyValue KeyValueOf(KeyValuePair<string, object> attribute) =>
        new() { Key = attribute.Key, Value = ValueOf(attribute.Value) };

    private static AnyValue ValueOf(object value) => value switch
    {
        string s => new AnyValue { StringValue = s },
        long l => new AnyValue { IntValue = l },
        int i => new AnyValue { IntValue = i },
        double d => new AnyValue { DoubleValue = d },
        bool b => new AnyValue { BoolValue = b },
        string[] items => new AnyValue { ArrayValue = ArrayOf(items) },
        _ => throw new ArgumentException($"unsupported attribute value {value.GetType().Name}", nameof(value)),
    };

    private static ArrayValue ArrayOf(string[] items)
    {
        var array = new ArrayValue();
        array.Values.Add(items.Select(item => new AnyValue { StringValue = item }));
        return array;
    }
}
