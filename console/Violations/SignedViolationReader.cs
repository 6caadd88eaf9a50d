using System.Text.Json;
using BeTrace.Grains.Interfaces.Violations;

namespace BeTrace.Console.Violations;

/// <summary>
/// Reads violations to verify from any of: JSON lines of <c>violations list --json</c>; OTLP/JSON export requests
/// holding violation spans (one per line as the Collector's file exporter writes them, or one document);
/// objects of span attributes keyed <c>betrace.violation.*</c>; or JSON arrays of any of these.
/// </summary>
public static class SignedViolationReader
{
    /// <exception cref="CliInputException">The input is not JSON, or a document holds none of the forms above.</exception>
    public static IReadOnlyList<SignedViolation> Read(string content, string source)
    {
        var found = new List<SignedViolation>();
        foreach (var (text, where) in Documents(content, source))
        {
            using var document = Parse(text, where);
            Collect(document.RootElement, where, found);
        }
        return found;
    }

    private static void Collect(JsonElement element, string where, List<SignedViolation> found)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                Collect(item, $"{where}[{i++}]", found);
            }
            return;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new CliInputException($"{where}: expected a JSON object, found {element.ValueKind}");
        }
        if (Property(element, "resourceSpans", "resource_spans") is { ValueKind: JsonValueKind.Array } resourceSpans)
        {
            CollectSpans(resourceSpans, where, found);
        }
        else if (element.TryGetProperty("violation_id", out _))
        {
            var fields = ViolationView.SignedJsonNames
                .Where(pair => element.TryGetProperty(pair.Value, out var value) && value.ValueKind == JsonValueKind.String)
                .ToDictionary(pair => pair.Key, pair => element.GetProperty(pair.Value).GetString()!, StringComparer.Ordinal);
            found.Add(new SignedViolation(where, fields, Text(element, ViolationView.SignatureJsonName)));
        }
        else if (element.TryGetProperty(ViolationAttributes.Id, out _))
        {
            var fields = element.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.String)
                .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
            found.Add(new SignedViolation(where, fields, fields.GetValueOrDefault(ViolationAttributes.Signature)));
        }
        else
        {
            throw new CliInputException($"{where}: not a violation: expected a line of `violations list --json`, an OTLP/JSON request with violation spans, or betrace.violation.* attributes");
        }
    }

    private static void CollectSpans(JsonElement resourceSpans, string where, List<SignedViolation> found)
    {
        foreach (var resource in resourceSpans.EnumerateArray())
        {
            foreach (var scope in Items(resource, "scopeSpans", "scope_spans"))
            {
                foreach (var span in Items(scope, "spans", "spans"))
                {
                    var attributes = StringAttributes(span);
                    var name = Text(span, "name");
                    if (name == ViolationAttributes.SpanName || attributes.ContainsKey(ViolationAttributes.Id))
                    {
                        var spanId = Text(span, "spanId") ?? Text(span, "span_id") ?? "?";
                        found.Add(new SignedViolation($"{where} span {spanId}", attributes, attributes.GetValueOrDefault(ViolationAttributes.Signature)));
                    }
                }
            }
        }
    }

    /// <summary>The string-valued attributes of an OTLP/JSON span; the signed fields are all strings.</summary>
    private static Dictionary<string, string> StringAttributes(JsonElement span)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in Items(span, "attributes", "attributes"))
        {
            if (Text(pair, "key") is { } key
                && Property(pair, "value", "value") is { ValueKind: JsonValueKind.Object } value
                && Property(value, "stringValue", "string_value") is { ValueKind: JsonValueKind.String } text)
            {
                result[key] = text.GetString()!;
            }
        }
        return result;
    }

    private static IEnumerable<JsonElement> Items(JsonElement element, string camel, string snake) =>
        Property(element, camel, snake) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    private static JsonElement? Property(JsonElement element, string camel, string snake) =>
        element.ValueKind != JsonValueKind.Object ? null
        : element.TryGetProperty(camel, out var value) ? value
        : element.TryGetProperty(snake, out value) ? value
        : null;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>One JSON document (possibly pretty-printed), or else one document per non-empty line.</summary>
    private static IEnumerable<(string Text, string Where)> Documents(string content, string source)
    {
        if (content.Trim().Length == 0)
        {
            return [];
        }
        try
        {
            using var whole = JsonDocument.Parse(content);
            return [(content, source)];
        }
        catch (JsonException)
        {
            return content.Split('\n')
                .Select((line, i) => (Text: line, Where: $"{source}:{i + 1}"))
                .Where(line => line.Text.Trim().Length > 0)
                .ToList();
        }
    }

    private static JsonDocument Parse(string text, string where)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new CliInputException($"{where}: not valid JSON ({ex.Message})", ex);
        }
    }
}
