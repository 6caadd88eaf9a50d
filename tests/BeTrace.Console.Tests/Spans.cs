using BeTrace.Grains.Interfaces.Spans;

namespace BeTrace.Console.Tests;

/// <summary>Spans as the gateway hands them to trace grains, for the traffic tests send.</summary>
internal static class Spans
{
    private static readonly WireResource Checkout = new([new WireAttribute("service.name", WireValue.Of("checkout"))]);

    public static WireSpan Span(ulong id, ulong parent, string name, params (string Key, WireValue Value)[] attributes) =>
        new(id, parent, name, 1, 0, 1_700_000_000_000_000_000, 1_700_000_000_010_000_000,
            attributes.Select(a => new WireAttribute(a.Key, a.Value)).ToArray(), Checkout);

    /// <summary>A new random trace id (32 lowercase hex digits).</summary>
    public static string NewTraceId() => Guid.NewGuid().ToString("N");
}
