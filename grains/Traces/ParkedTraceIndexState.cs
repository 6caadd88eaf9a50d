namespace BeTrace.Grains.Traces;

/// <summary>What the parked-trace index persists.</summary>
[GenerateSerializer, Alias("betrace.ParkedTraceIndexState")]
public sealed class ParkedTraceIndexState
{
    [Id(0)]
    public HashSet<string> Keys { get; set; } = new(StringComparer.Ordinal);
}
