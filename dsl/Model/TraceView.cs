namespace BeTrace.Dsl.Model;

/// <summary>
/// A trace prepared for evaluation: its spans in trace order and an index from span name to the positions
/// of the spans with that name, built once and shared by every rule evaluated against the trace.
/// </summary>
public sealed class TraceView
{
    private static readonly int[] None = [];
    private readonly Dictionary<string, int[]> _byName;

    public TraceView(IReadOnlyList<Span> spans)
    {
        Spans = spans;
        var positions = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < spans.Count; i++)
        {
            if (!positions.TryGetValue(spans[i].Name, out var list))
            {
                positions[spans[i].Name] = list = [];
            }
            list.Add(i);
        }
        _byName = new Dictionary<string, int[]>(positions.Count, StringComparer.Ordinal);
        foreach (var (name, list) in positions)
        {
            _byName[name] = list.ToArray();
        }
    }

    public IReadOnlyList<Span> Spans { get; }

    public int Count => Spans.Count;

    /// <summary>Positions, in trace order, of the spans named exactly <paramref name="name"/>.</summary>
    public int[] Named(string name) => _byName.TryGetValue(name, out var positions) ? positions : None;
}
