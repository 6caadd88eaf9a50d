using BeTrace.Dsl.Model;
using BeTrace.Dsl.Traces;

namespace BeTrace.Console.Rules;

/// <summary>
/// An example trace carried by a pack rule, kept as JSON text: the corpus span format (a list of spans) or
/// OTLP/JSON, exactly what <c>dsl eval --trace</c> reads. <see cref="Line"/> is its line in the pack file.
/// </summary>
public sealed record RuleExample(string Json, int Line)
{
    /// <exception cref="TraceFormatException">The example is not a readable trace.</exception>
    public IReadOnlyList<TraceView> Traces()
    {
        var traces = TraceDocument.Read(Json);
        return traces.Count > 0 ? traces : [new TraceView([])];
    }
}
