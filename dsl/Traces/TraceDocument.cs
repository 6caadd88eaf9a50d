using System.Text.Json;
using BeTrace.Dsl.Model;

namespace BeTrace.Dsl.Traces;

/// <summary>
/// Reads a trace file for offline evaluation. Accepted forms, told apart by their content:
/// a JSON array of corpus spans; an object with a <c>spans</c> array (a corpus eval row);
/// one OTLP/JSON export request; or JSON lines of OTLP/JSON requests (the Collector's file exporter).
/// Spans are grouped into traces by trace id, in the order each trace is first seen.
/// </summary>
public static class TraceDocument
{
    public static IReadOnlyList<TraceView> Read(string content)
    {
        var trimmed = content.TrimStart();
        if (trimmed.Length == 0)
        {
            throw new TraceFormatException("the trace file is empty");
        }
        var spans = new List<Span>();
        if (trimmed[0] == '[')
        {
            using var document = Parse(content, "the trace file");
            spans.AddRange(CorpusTraceReader.ReadSpans(document.RootElement));
        }
        else
        {
            foreach (var (text, where) in SplitDocuments(content))
            {
                using var document = Parse(text, where);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("spans", out var corpusSpans))
                {
                    spans.AddRange(CorpusTraceReader.ReadSpans(corpusSpans));
                }
                else
                {
                    spans.AddRange(OtlpJsonTraceReader.ReadRequest(root, where));
                }
            }
        }
        return spans.GroupBy(span => span.TraceId).Select(group => new TraceView(group.ToList())).ToList();
    }

    /// <summary>One JSON document (possibly pretty-printed), or else one document per non-empty line.</summary>
    private static IEnumerable<(string Text, string Where)> SplitDocuments(string content)
    {
        try
        {
            using var whole = JsonDocument.Parse(content);
            return [(content, "the trace file")];
        }
        catch (JsonException)
        {
            return content.Split('\n')
                .Select((line, i) => (Text: line, Where: $"line {i + 1}"))
                .Where(line => line.Text.Trim().Length > 0)
                .ToList();
        }
    }

    private static JsonDocument Parse(string text, string where)
    {
        try
        {
            return JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            throw new TraceFormatException($"{where}: not valid JSON ({ex.Message})", ex);
        }
    }
}
