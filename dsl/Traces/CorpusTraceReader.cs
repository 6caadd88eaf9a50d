using System.Globalization;
using System.Text.Json;
using BeTrace.Dsl.Model;

namespace BeTrace.Dsl.Traces;

/// <summary>Reads the conformance corpus span format (dsl.md section 10, harness rule) into spans.</summary>
public static class CorpusTraceReader
{
    public static IReadOnlyList<Span> ReadSpans(JsonElement spans)
    {
        if (spans.ValueKind != JsonValueKind.Array)
        {
            throw new TraceFormatException($"'spans' must be an array, found {spans.ValueKind}");
        }
        var result = new List<Span>();
        var index = 0;
        foreach (var span in spans.EnumerateArray())
        {
            result.Add(ReadSpan(span, $"spans[{index++}]"));
        }
        return result;
    }

    public static Span ReadSpan(JsonElement span, string where)
    {
        if (span.ValueKind != JsonValueKind.Object)
        {
            throw new TraceFormatException($"{where} must be an object");
        }
        var name = RequiredString(span, "name", where);
        var resourcePairs = JsonAttributeReader.ReadObject(Property(span, "resource"), $"{where}.resource").Pairs.ToList();
        if (Property(span, "service") is { ValueKind: JsonValueKind.String } service)
        {
            resourcePairs.RemoveAll(p => p.Key == SpanResource.ServiceNameKey);
            resourcePairs.Add(new(SpanResource.ServiceNameKey, AttrValue.FromString(service.GetString()!)));
        }
        return new Span(
            name,
            ReadStatus(Property(span, "status"), where),
            ReadKind(Property(span, "kind"), where),
            ReadDuration(Property(span, "duration_ms"), where),
            JsonAttributeReader.ReadObject(Property(span, "attributes"), $"{where}.attributes"),
            new SpanResource(new AttributeSet(resourcePairs)),
            OptionalString(span, "span_id") ?? $"span-{where}",
            OptionalString(span, "parent_span_id"),
            OptionalString(span, "trace_id") ?? string.Empty);
    }

    private static JsonElement Property(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value : default;

    private static string RequiredString(JsonElement element, string name, string where) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value
            ? value.GetString()!
            : throw new TraceFormatException($"{where}.{name} must be a string");

    private static string? OptionalString(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static SpanStatus ReadStatus(JsonElement status, string where) => status.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => SpanStatus.Unset,
        JsonValueKind.String => status.GetString() switch
        {
            "UNSET" => SpanStatus.Unset,
            "OK" => SpanStatus.Ok,
            "ERROR" => SpanStatus.Error,
            var other => throw new TraceFormatException($"{where}.status: unknown status '{other}' (UNSET, OK or ERROR)"),
        },
        _ => throw new TraceFormatException($"{where}.status must be a string or null"),
    };

    private static SpanKind ReadKind(JsonElement kind, string where) => kind.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => SpanKind.Unspecified,
        JsonValueKind.String => kind.GetString() switch
        {
            "UNSPECIFIED" => SpanKind.Unspecified,
            "INTERNAL" => SpanKind.Internal,
            "SERVER" => SpanKind.Server,
            "CLIENT" => SpanKind.Client,
            "PRODUCER" => SpanKind.Producer,
            "CONSUMER" => SpanKind.Consumer,
            var other => throw new TraceFormatException($"{where}.kind: unknown kind '{other}'"),
        },
        _ => throw new TraceFormatException($"{where}.kind must be a string"),
    };

    /// <summary>duration_ms × 1,000,000 from the exact decimal text, rounded to whole nanoseconds.</summary>
    private static long ReadDuration(JsonElement duration, string where)
    {
        if (duration.ValueKind == JsonValueKind.Undefined)
        {
            return 0;
        }
        if (duration.ValueKind != JsonValueKind.Number
            || !decimal.TryParse(duration.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var millis)
            || millis < 0)
        {
            throw new TraceFormatException($"{where}.duration_ms must be a number >= 0");
        }
        try
        {
            return (long)decimal.Round(millis * 1_000_000m, MidpointRounding.AwayFromZero);
        }
        catch (OverflowException)
        {
            throw new TraceFormatException($"{where}.duration_ms is too large");
        }
    }
}
