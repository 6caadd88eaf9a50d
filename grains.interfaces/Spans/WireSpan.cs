namespace BeTrace.Grains.Interfaces.Spans;

/// <summary>
/// One span of a trace. Ids are kept as integers (an OTLP span id is 8 bytes; 0 means "no parent"),
/// which is compact in memory and on the wire. <see cref="Resource"/> indexes the batch's resources.
/// </summary>
[GenerateSerializer, Immutable, Alias("betrace.WireSpan")]
public sealed record WireSpan(
    [property: Id(0)] ulong SpanId,
    [property: Id(1)] ulong ParentSpanId,
    [property: Id(2)] string Name,
    [property: Id(3)] byte Kind,
    [property: Id(4)] byte Status,
    [property: Id(5)] ulong StartUnixNanos,
    [property: Id(6)] ulong EndUnixNanos,
    [property: Id(7)] WireAttribute[] Attributes,
    [property: Id(8)] WireResource Resource)
{
    /// <summary>An estimate of the managed bytes this span holds (the resource is shared and not counted).</summary>
    public int EstimatedBytes
    {
        get
        {
            // Called for every appended span: a plain loop, no LINQ.
            var bytes = 96 + Name.Length * 2;
            foreach (var attribute in Attributes)
            {
                bytes += 40 + attribute.Key.Length * 2 + attribute.Value.EstimatedBytes;
            }
            return bytes;
        }
    }
}
