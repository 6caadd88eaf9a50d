using System.Text.Json;
using BeTrace.Dsl.Model;
using BeTrace.Dsl.Traces;

namespace BeTrace.Console.Replay;

/// <summary>
/// Evaluates rules against a stream of recorded export requests without holding the file. Spans are grouped by
/// trace id; a trace that has had no span for <c>window</c> lines is taken as complete, evaluated and released —
/// the same idea as the silo's idle timeout, counted in lines because a recording has no clock. The rest are
/// evaluated at the end of the input.
/// </summary>
public sealed class TraceReplayer(IReadOnlyList<ReplayRule> rules, long window, Action<ReplayViolation> report)
{
    private sealed class OpenTrace(string id)
    {
        public string Id { get; } = id;

        public List<Span> Spans { get; } = [];

        public long LastLine { get; set; }
    }

    // Least recently touched first, so completed traces are found at the front without a scan.
    private readonly LinkedList<OpenTrace> _byAge = new();
    private readonly Dictionary<string, LinkedListNode<OpenTrace>> _open = new(StringComparer.Ordinal);

    public long Spans { get; private set; }

    public long Traces { get; private set; }

    public long Violations { get; private set; }

    public int Open => _open.Count;

    /// <summary>Adds the spans of one document (an OTLP/JSON request, a corpus span array or a corpus row).</summary>
    /// <exception cref="TraceFormatException">The document holds no readable spans.</exception>
    public void Add(JsonElement document, string where, long line)
    {
        foreach (var span in SpansOf(document, where))
        {
            if (!_open.TryGetValue(span.TraceId, out var node))
            {
                node = _byAge.AddLast(new OpenTrace(span.TraceId));
                _open[span.TraceId] = node;
            }
            else
            {
                _byAge.Remove(node);
                _byAge.AddLast(node);
            }
            node.Value.Spans.Add(span);
            node.Value.LastLine = line;
            Spans++;
        }
        while (_byAge.First is { } oldest && oldest.Value.LastLine <= line - window)
        {
            Complete(oldest);
        }
    }

    /// <summary>The input has ended: every open trace is complete.</summary>
    public void Finish()
    {
        while (_byAge.First is { } oldest)
        {
            Complete(oldest);
        }
    }

    private static IReadOnlyList<Span> SpansOf(JsonElement document, string where) => document.ValueKind switch
    {
        JsonValueKind.Array => CorpusTraceReader.ReadSpans(document),
        JsonValueKind.Object when document.TryGetProperty("spans", out var spans) => CorpusTraceReader.ReadSpans(spans),
        _ => OtlpJsonTraceReader.ReadRequest(document, where),
    };

    private void Complete(LinkedListNode<OpenTrace> node)
    {
        _byAge.Remove(node);
        _open.Remove(node.Value.Id);
        Traces++;
        var trace = new TraceView(node.Value.Spans);
        foreach (var rule in rules)
        {
            var verdict = rule.Compiled.Evaluate(trace);
            if (verdict.Violated)
            {
                Violations++;
                report(new ReplayViolation(node.Value.Id, rule, trace, verdict));
            }
        }
    }
}
