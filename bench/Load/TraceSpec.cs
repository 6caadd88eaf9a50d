using OtlpSpanKind = BeTrace.Gateway.Otlp.Trace.Span.Types.SpanKind;
using OtlpStatusCode = BeTrace.Gateway.Otlp.Trace.Status.Types.StatusCode;

namespace BeTrace.Bench.Load;

/// <summary>
/// A service's resource as the generator builds it: the attributes of one OTLP <c>Resource</c>. Spans of many traces
/// share one instance (as an SDK's spans share their process's resource); a mutation that changes a resource
/// attribute makes a copy for its trace only.
/// </summary>
internal sealed class ServiceResource
{
    public ServiceResource(IEnumerable<KeyValuePair<string, object>> attributes)
    {
        Attributes = [.. attributes];
    }

    public List<KeyValuePair<string, object>> Attributes { get; }

    /// <summary>A copy with <paramref name="key"/> set to <paramref name="value"/>.</summary>
    public ServiceResource With(string key, object value)
    {
        var copy = new ServiceResource(Attributes);
        SpanSpec.Set(copy.Attributes, key, value);
        return copy;
    }
}

/// <summary>One span of a generated trace, mutable until it is serialized.</summary>
internal sealed class SpanSpec
{
    public SpanSpec(string name, ServiceResource resource, OtlpSpanKind kind, int parent, long durationNanos)
    {
        Name = name;
        Resource = resource;
        Kind = kind;
        Parent = parent;
        DurationNanos = durationNanos;
    }

    public string Name { get; set; }

    public ServiceResource Resource { get; set; }

    public OtlpSpanKind Kind { get; set; }

    public OtlpStatusCode Status { get; set; } = OtlpStatusCode.Unset;

    /// <summary>Index of the parent span in the trace; -1 for the root.</summary>
    public int Parent { get; }

    public long StartOffsetNanos { get; set; }

    public long DurationNanos { get; set; }

    /// <summary>Values are string, long, double, bool or string[].</summary>
    public List<KeyValuePair<string, object>> Attributes { get; } = [];

    public SpanSpec Set(string key, object value)
    {
        Set(Attributes, key, value);
        return this;
    }

    public static void Set(List<KeyValuePair<string, object>> attributes, string key, object value)
    {
        var index = attributes.FindIndex(a => a.Key == key);
        if (index >= 0)
        {
            attributes[index] = new(key, value);
        }
        else
        {
            attributes.Add(new(key, value));
        }
    }
}

/// <summary>A generated trace: its spans, and the load rule it violates (-1: none).</summary>
internal sealed class TraceSpec
{
    public TraceSpec(List<SpanSpec> spans)
    {
        Spans = spans;
    }

    public List<SpanSpec> Spans { get; }

    public int ViolatedRule { get; set; } = -1;

    public SpanSpec this[int index] => Spans[index];

    /// <summary>Turns a filler span (one no rule reads) into a span named <paramref name="name"/>.</summary>
    public SpanSpec Rename(int index, string name)
    {
        var span = Spans[index];
        span.Name = name;
        return span;
    }

    /// <summary>Gives every span of <paramref name="service"/> in this trace a copy of its resource with one attribute changed.</summary>
    public void SetResourceAttribute(string service, string key, object value)
    {
        ServiceResource? original = null;
        ServiceResource? copy = null;
        foreach (var span in Spans)
        {
            if (ServiceOf(span.Resource) != service)
            {
                continue;
            }
            if (original is null)
            {
                original = span.Resource;
                copy = original.With(key, value);
            }
            span.Resource = ReferenceEquals(span.Resource, original) ? copy! : span.Resource.With(key, value);
        }
    }

    public static string? ServiceOf(ServiceResource resource) =>
        resource.Attributes.FirstOrDefault(a => a.Key == "service.name").Value as string;
}
