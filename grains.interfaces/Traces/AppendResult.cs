namespace BeTrace.Grains.Interfaces.Traces;

/// <summary>What a trace grain did with a batch: kept, ignored as duplicates (a client retry), or dropped at a cap.</summary>
[GenerateSerializer, Immutable, Alias("betrace.AppendResult")]
public sealed record AppendResult(
    [property: Id(0)] int Accepted,
    [property: Id(1)] int Duplicates,
    [property: Id(2)] int Dropped);
