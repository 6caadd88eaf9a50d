namespace BeTrace.Grains.Interfaces.Traces;

/// <summary>A snapshot of a trace grain for operations and tests.</summary>
[GenerateSerializer, Immutable, Alias("betrace.TraceState")]
public sealed record TraceState(
    [property: Id(0)] int Spans,
    [property: Id(1)] int Dropped,
    [property: Id(2)] int Evaluations,
    [property: Id(3)] string[] ReportedRuleIds,
    [property: Id(4)] bool Evaluated,
    [property: Id(5)] string Silo);
