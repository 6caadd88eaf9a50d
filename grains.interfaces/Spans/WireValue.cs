namespace BeTrace.Grains.Interfaces.Spans;

/// <summary>A typed attribute value as it travels from the gateway to a trace grain.</summary>
[GenerateSerializer, Immutable, Alias("betrace.WireValue")]
public sealed record WireValue(
    [property: Id(0)] WireValueKind Kind,
    [property: Id(1)] string? Text = null,
    [property: Id(2)] long Int = 0,
    [property: Id(3)] double Double = 0,
    [property: Id(4)] bool Bool = false,
    [property: Id(5)] WireValue[]? Items = null)
{
    public static WireValue Empty { get; } = new(WireValueKind.Empty);

    public static WireValue Of(string text) => new(WireValueKind.String, Text: text);

    public static WireValue Of(long value) => new(WireValueKind.Int, Int: value);

    public static WireValue Of(double value) => new(WireValueKind.Double, Double: value);

    public static WireValue Of(bool value) => new(WireValueKind.Bool, Bool: value);

    public static WireValue Of(WireValue[] items) => new(WireValueKind.Array, Items: items);

    /// <summary>An estimate of the managed bytes this value holds, for the per-trace byte cap.</summary>
    public int EstimatedBytes
    {
        get
        {
            // Called for every appended span: a plain loop, no LINQ.
            var bytes = 32 + (Text?.Length * 2 ?? 0);
            if (Items is { } items)
            {
                foreach (var item in items)
                {
                    bytes += item.EstimatedBytes;
                }
            }
            return bytes;
        }
    }
}
