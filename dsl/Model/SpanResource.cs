namespace BeTrace.Dsl.Model;

/// <summary>The resource a span came from; shared by all spans of one OTLP ResourceSpans.</summary>
public sealed class SpanResource
{
    public const string ServiceNameKey = "service.name";

    public SpanResource(AttributeSet attributes)
    {
        Attributes = attributes;
        ServiceName = attributes.Get(ServiceNameKey);
    }

    public static SpanResource Empty { get; } = new(AttributeSet.Empty);

    public AttributeSet Attributes { get; }

    /// <summary>What <c>span:service</c> reads; null when the resource has no service.name.</summary>
    public AttrValue? ServiceName { get; }
}
