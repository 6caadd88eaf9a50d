namespace BeTrace.Dsl.Model;

/// <summary>
/// One span as rules see it (dsl.md section 6). Ids are kept as given (hex for OTLP) because rules never
/// read them; they only place violations in the trace.
/// </summary>
public sealed class Span
{
    public Span(
        string name,
        SpanStatus status,
        SpanKind kind,
        long durationNanos,
        AttributeSet attributes,
        SpanResource resource,
        string spanId,
        string? parentSpanId,
        string traceId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(durationNanos);
        Name = name;
        NameValue = AttrValue.FromString(name);
        Status = status;
        Kind = kind;
        DurationNanos = durationNanos;
        Attributes = attributes;
        Resource = resource;
        SpanId = spanId;
        ParentSpanId = parentSpanId;
        TraceId = traceId;
    }

    public string Name { get; }

    /// <summary>The name as a value for <c>span:name</c> comparisons (numeric-ness decided once).</summary>
    public AttrValue NameValue { get; }

    public SpanStatus Status { get; }

    public SpanKind Kind { get; }

    public long DurationNanos { get; }

    public AttributeSet Attributes { get; }

    public SpanResource Resource { get; }

    public string SpanId { get; }

    public string? ParentSpanId { get; }

    public string TraceId { get; }
}
