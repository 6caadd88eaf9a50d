namespace BeTrace.Grains.Interfaces.Spans;

/// <summary>The resource (service.name and friends) shared by the spans of one OTLP ResourceSpans.</summary>
[GenerateSerializer, Immutable, Alias("betrace.WireResource")]
public sealed record WireResource([property: Id(0)] WireAttribute[] Attributes);
