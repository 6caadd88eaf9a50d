namespace BeTrace.Grains.Interfaces.Spans;

/// <summary>The spans of one export request that belong to one trace: what a gateway sends a trace grain in one call.</summary>
[GenerateSerializer, Immutable, Alias("betrace.SpanBatch")]
public sealed record SpanBatch([property: Id(0)] WireSpan[] Spans);
