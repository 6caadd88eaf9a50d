namespace BeTrace.Grains.Interfaces.Spans;

[GenerateSerializer, Immutable, Alias("betrace.WireAttribute")]
public sealed record WireAttribute([property: Id(0)] string Key, [property: Id(1)] WireValue Value);
