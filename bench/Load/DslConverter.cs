using System.Buffers.Binary;
using System.Globalization;
using BeTrace.Dsl.Model;
using BeTrace.Gateway.Otlp.Collector.Trace;
using BeTrace.Gateway.Otlp.Common;
using Google.Protobuf.Collections;
using OtlpSpan = BeTrace.Gateway.Otlp.Trace.Span;

namespace BeTrace.Bench.Load;

/// <summary>
/// The engine baseline's converter: OTLP spans straight to the DSL model, grouped by trace id. It does what the silo's
/// path (gateway <c>OtlpSpanConverter</c> → wire spans → <c>TraceModelBuilder</c>) does to the data — one resource
/// conversion per <c>ResourceSpans</c>, typed attribute values, hex span ids — in one step and without validation.
/// </summary>
internal static class DslConverter
{
    /// <summary>One trace's spans as the engine sees them.</summary>
    internal sealed class TraceGroup(string traceIdHex)
    {
        public string TraceIdHex { get; } = traceIdHex;

        public List<Span> Spans { get; } = [];
    }

    /// <summary>Adds the spans of <paramref name="request"/> to <paramref name="groups"/> (keyed by trace id).</summary>
    public static void Group(ExportTraceServiceRequest request, Dictionary<UInt128, TraceGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(groups);
        foreach (var resourceSpans in request.ResourceSpans)
        {
            SpanResource? resource = null;
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                foreach (var span in scopeSpans.Spans)
                {
                    resource ??= resourceSpans.Resource is null
                        ? SpanResource.Empty
                        : new SpanResource(Attributes(resourceSpans.Resource.Attributes));
                    var traceId = BinaryPrimitives.ReadUInt128BigEndian(span.TraceId.Span);
                    if (!groups.TryGetValue(traceId, out var group))
                    {
                        groups[traceId] = group = new TraceGroup(Convert.ToHexStringLower(span.TraceId.Span));
                    }
                    group.Spans.Add(ToSpan(span, resource, group.TraceIdHex));
                }
            }
        }
    }

    /// <summary>One generated trace through OTLP and back: what the rules see of it.</summary>
    public static TraceView ToView(TraceSpec trace)
    {
        var wire = TraceWire.Create(trace, new Random(7));
        var request = RequestBuilder.Build([wire], 1_700_000_000_000_000_000);
        var groups = new Dictionary<UInt128, TraceGroup>();
        Group(request, groups);
        return new TraceView(groups.Values.Single().Spans);
    }

    private static Span ToSpan(OtlpSpan span, SpanResource resource, string traceIdHex)
    {
        var status = span.Status is null ? SpanStatus.Unset : (SpanStatus)Math.Clamp((int)span.Status.Code, 0, 2);
        var kind = (int)span.Kind is >= 0 and <= 5 ? (SpanKind)(int)span.Kind : SpanKind.Unspecified;
        var duration = span.EndTimeUnixNano > span.StartTimeUnixNano
            ? (long)Math.Min(span.EndTimeUnixNano - span.StartTimeUnixNano, long.MaxValue)
            : 0;
        var spanId = BinaryPrimitives.ReadUInt64BigEndian(span.SpanId.Span).ToString("x16", CultureInfo.InvariantCulture);
        var parent = span.ParentSpanId.Length == 8
            ? BinaryPrimitives.ReadUInt64BigEndian(span.ParentSpanId.Span).ToString("x16", CultureInfo.InvariantCulture)
            : null;
        return new Span(span.Name, status, kind, duration, Attributes(span.Attributes), resource, spanId, parent, traceIdHex);
    }

    private static AttributeSet Attributes(RepeatedField<KeyValue> attributes)
    {
        if (attributes.Count == 0)
        {
            return AttributeSet.Empty;
        }
        var pairs = new List<KeyValuePair<string, AttrValue>>(attributes.Count);
        foreach (var attribute in attributes)
        {
            if (Value(attribute.Value) is { } value)
            {
                pairs.Add(new(attribute.Key, value));
            }
        }
        return new AttributeSet(pairs);
    }

    private static AttrValue? Value(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => AttrValue.FromString(value.StringValue),
        AnyValue.ValueOneofCase.IntValue => AttrValue.FromInt(value.IntValue),
        AnyValue.ValueOneofCase.DoubleValue => AttrValue.FromDouble(value.DoubleValue),
        AnyValue.ValueOneofCase.BoolValue => AttrValue.FromBool(value.BoolValue),
        AnyValue.ValueOneofCase.BytesValue => AttrValue.FromString(System.Convert.ToBase64String(value.BytesValue.Span)),
        AnyValue.ValueOneofCase.ArrayValue => AttrValue.FromArray(value.ArrayValue.Values.Select(item => Value(item) ?? AttrValue.Null)),
        _ => null,
    };
}
