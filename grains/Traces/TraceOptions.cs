namespace BeTrace.Grains.Traces;

/// <summary>When a trace is evaluated and how much of it is kept (architecture.md, TraceGrain).</summary>
public sealed class TraceOptions
{
    public const string Section = "BeTrace:Traces";

    /// <summary>Silence after the last span before the trace is evaluated.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A trace still receiving spans is evaluated anyway this long after its first span.</summary>
    public TimeSpan MaxTraceAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>After evaluation, late spans are still accepted (and re-evaluated) for this long.</summary>
    public TimeSpan LateSpanGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often each silo resumes traces parked at another silo's graceful shutdown.</summary>
    public TimeSpan ParkedTraceResumeInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Spans beyond this count are dropped and counted; reaching it triggers evaluation.</summary>
    public int MaxSpans { get; set; } = 10_000;

    /// <summary>Estimated span bytes beyond which spans are dropped and counted.</summary>
    public long MaxTraceBytes { get; set; } = 16L * 1024 * 1024;
}
