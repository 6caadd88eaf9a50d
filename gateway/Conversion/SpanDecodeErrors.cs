using BeTrace.Gateway.Otlp.Trace;

namespace BeTrace.Gateway.Conversion;

/// <summary>
/// Spans a decoder could read but not fully decode, by span instance. The converter rejects them like any other
/// invalid span, so their valid neighbours are kept.
/// </summary>
public sealed class SpanDecodeErrors
{
    private readonly Dictionary<Span, SpanDecodeError> _errors = new(ReferenceEqualityComparer.Instance);

    public int Count => _errors.Count;

    public void Add(Span span, SpanDecodeError error) => _errors.TryAdd(span, error);

    public SpanDecodeError? For(Span span) => _errors.GetValueOrDefault(span);
}
