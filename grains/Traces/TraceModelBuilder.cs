using BeTrace.Dsl.Model;
using BeTrace.Grains.Interfaces.Spans;
using BeTrace.Grains.Interfaces.Traces;

namespace BeTrace.Grains.Traces;

/// <summary>Turns the wire spans a trace grain holds into the DSL's trace model, once per evaluation.</summary>
public static class TraceModelBuilder
{
    public static TraceView Build(string traceIdHex, IReadOnlyList<WireSpan> spans)
    {
        // Spans of one ResourceSpans share their resource instance; convert each resource once.
        var resources = new Dictionary<WireResource, SpanResource>(ReferenceEqualityComparer.Instance);
        var model = new Span[spans.Count];
        for (var i = 0; i < spans.Count; i++)
        {
            var wire = spans[i];
            if (!resources.TryGetValue(wire.Resource, out var resource))
            {
                resources[wire.Resource] = resource = new SpanResource(Attributes(wire.Resource.Attributes));
            }
            model[i] = new Span(
                wire.Name,
                wire.Status <= (byte)SpanStatus.Error ? (SpanStatus)wire.Status : SpanStatus.Unset,
                wire.Kind <= (byte)SpanKind.Consumer ? (SpanKind)wire.Kind : SpanKind.Unspecified,
                wire.EndUnixNanos > wire.StartUnixNanos ? (long)Math.Min(wire.EndUnixNanos - wire.StartUnixNanos, long.MaxValue) : 0,
                Attributes(wire.Attributes),
                resource,
                TraceKey.SpanHex(wire.SpanId),
                wire.ParentSpanId == 0 ? null : TraceKey.SpanHex(wire.ParentSpanId),
                traceIdHex);
        }
        return new TraceView(model);
    }

    private static AttributeSet Attributes(WireAttribute[] attributes)
    {
        if (attributes.Length == 0)
        {
            return AttributeSet.Empty;
        }
        var pairs = new List<KeyValuePair<string, AttrValue>>(attributes.Length);
        foreach (var attribute in attributes)
        {
            if (attribute.Value.Kind != WireValueKind.Empty)
            {
                pairs.Add(new(attribute.Key, Value(attribute.Value)));
            }
        }
        return new AttributeSet(pairs);
    }

    private static AttrValue Value(WireValue value) => value.Kind switch
    {
        WireValueKind.String => AttrValue.FromString(value.Text ?? string.Empty),
        WireValueKind.Int => AttrValue.FromInt(value.Int),
        WireValueKind.Double => AttrValue.FromDouble(value.Double),
        WireValueKind.Bool => AttrValue.FromBool(value.Bool),
        WireValueKind.Array => AttrValue.FromArray((value.Items ?? []).Select(Value)),
        _ => AttrValue.Null,
    };
}
