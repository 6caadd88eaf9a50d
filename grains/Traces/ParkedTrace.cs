using BeTrace.Grains.Interfaces.Spans;

namespace BeTrace.Grains.Traces;

/// <summary>
/// A live trace written to storage when its silo shuts down gracefully, so the activation that takes over the
/// trace (on another silo) resumes it with every span and the rules already reported.
/// </summary>
[GenerateSerializer, Alias("betrace.ParkedTrace")]
public sealed class ParkedTrace
{
    [Id(0)]
    public List<WireSpan> Spans { get; set; } = [];

    [Id(1)]
    public DateTimeOffset FirstSpanAt { get; set; }

    [Id(2)]
    public DateTimeOffset? EvaluatedAt { get; set; }

    [Id(3)]
    public List<string> ReportedRuleIds { get; set; } = [];

    [Id(4)]
    public int Dropped { get; set; }

    [Id(5)]
    public int Evaluations { get; set; }

    /// <summary>True when spans arrived since the last evaluation.</summary>
    [Id(6)]
    public bool Pending { get; set; }
}
