using System.Globalization;
using System.Text.Json;
using BeTrace.Dsl.Model;

namespace BeTrace.Dsl.Traces;

/// <summary>
/// Reads an OTLP/JSON <c>ExportTraceServiceRequest</c> (as the OpenTelemetry Collector's file exporter writes
/// it) into spans. Field names are accepted in lowerCamelCase and in the proto's snake_case, as the proto3 JSON
/// mapping requires; enums as numbers or names; 64-bit integers as strings or numbers.
/// </summary>
public static class OtlpJsonTraceReader
{
    public static IReadOnlyList<Span> ReadRequest(JsonElement request, string where = "request")
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            throw new TraceFormatException($"{where} must be a JSON object");
        }
        var spans = new List<Span>();
        var r = 0;
        foreach (var resourceSpans in Array(request, "resourceSpans", "resource_spans", where))
        {
            var resourceWhere = $"{where}.resourceSpans[{r++}]";
            var resource = new SpanResource(ReadKeyValues(
                Field(Field(resourceSpans, "resource", "resource"), "attributes", "attributes"), $"{resourceWhere}.resource.attributes"));
            var s = 0;
            var scopes = Array(resourceSpans, "scopeSpans", "scope_spans", resourceWhere)
                .Concat(Array(resourceSpans, "instrumentationLibrarySpans", "instrumentation_library_spans", resourceWhere));
            foreach (var scopeSpans in scopes)
            {
                var scopeWhere = $"{resourceWhere}.scopeSpans[{s++}]";
                var i = 0;
                foreach (var span in Array(scopeSpans, "spans", "spans", scopeWhere))
                {
                    spans.Add(ReadSpan(span, resource, $"{scopeWhere}.spans[{i++}]"));
                }
            }
        }
        return spans;
    }

    private static Span ReadSpan(JsonElement span, SpanResource resource, string where)
    {
        var traceId = Id(span, "traceId", "trace_id", where) ?? throw new TraceFormatException($"{where}.traceId is missing");
        var spanId = Id(span, "spanId", "span_id", where) ?? throw new TraceFormatException($"{where}.spanId is missing");
        var parent = Id(span, "parentSpanId", "parent_span_id", where);
        var start = UnixNanos(Field(span, "startTimeUnixNano", "start_time_unix_nano"), $"{where}.startTimeUnixNano");
        var end = UnixNanos(Field(span, "endTimeUnixNano", "end_time_unix_nano"), $"{where}.endTimeUnixNano");
        var status = Field(Field(span, "status", "status"), "code", "code");
        return new Span(
            Field(span, "name", "name") is { ValueKind: JsonValueKind.String } name ? name.GetString()! : string.Empty,
            (SpanStatus)EnumValue(status, "STATUS_CODE_", ["UNSET", "OK", "ERROR"], $"{where}.status.code"),
            (SpanKind)EnumValue(Field(span, "kind", "kind"), "SPAN_KIND_",
                ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"], $"{where}.kind"),
            end > start ? (long)(end - start) : 0,
            ReadKeyValues(Field(span, "attributes", "attributes"), $"{where}.attributes"),
            resource,
            spanId,
            string.IsNullOrEmpty(parent) ? null : parent,
            traceId);
    }

    /// <summary>An OTLP <c>repeated KeyValue</c>.</summary>
    public static AttributeSet ReadKeyValues(JsonElement list, string where)
    {
        if (list.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return AttributeSet.Empty;
        }
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new TraceFormatException($"{where} must be an array of {{\"key\", \"value\"}} objects");
        }
        var pairs = new List<KeyValuePair<string, AttrValue>>();
        var i = 0;
        foreach (var pair in list.EnumerateArray())
        {
            var pairWhere = $"{where}[{i++}]";
            if (Field(pair, "key", "key") is not { ValueKind: JsonValueKind.String } key)
            {
                throw new TraceFormatException($"{pairWhere}.key must be a string");
            }
            if (ReadAnyValue(Field(pair, "value", "value"), $"{pairWhere}.value") is { } value)
            {
                pairs.Add(new(key.GetString()!, value));
            }
        }
        return new AttributeSet(pairs);
    }

    /// <summary>An OTLP <c>AnyValue</c>; null for an empty value or a kvlist, which rules cannot read.</summary>
    private static AttrValue? ReadAnyValue(JsonElement value, string where)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        if (Field(value, "stringValue", "string_value") is { ValueKind: JsonValueKind.String } s)
        {
            return AttrValue.FromString(s.GetString()!);
        }
        if (Field(value, "boolValue", "bool_value") is { ValueKind: JsonValueKind.True or JsonValueKind.False } b)
        {
            return AttrValue.FromBool(b.GetBoolean());
        }
        var intValue = Field(value, "intValue", "int_value");
        if (intValue.ValueKind != JsonValueKind.Undefined)
        {
            var text = intValue.ValueKind == JsonValueKind.String ? intValue.GetString() : intValue.GetRawText();
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                ? AttrValue.FromInt(integer)
                : throw new TraceFormatException($"{where}.intValue is not a 64-bit integer: {text}");
        }
        var doubleValue = Field(value, "doubleValue", "double_value");
        if (doubleValue.ValueKind == JsonValueKind.Number)
        {
            return AttrValue.FromDouble(doubleValue.GetDouble());
        }
        if (doubleValue.ValueKind == JsonValueKind.String)
        {
            return AttrValue.FromDouble(doubleValue.GetString() switch
            {
                "NaN" => double.NaN,
                "Infinity" => double.PositiveInfinity,
                "-Infinity" => double.NegativeInfinity,
                var text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                    ? d
                    : throw new TraceFormatException($"{where}.doubleValue is not a number: {text}"),
            });
        }
        if (Field(value, "bytesValue", "bytes_value") is { ValueKind: JsonValueKind.String } bytes)
        {
            return AttrValue.FromString(bytes.GetString()!);
        }
        var array = Field(value, "arrayValue", "array_value");
        if (array.ValueKind == JsonValueKind.Object)
        {
            var items = new List<AttrValue>();
            var i = 0;
            foreach (var item in Array(array, "values", "values", where))
            {
                items.Add(ReadAnyValue(item, $"{where}.arrayValue.values[{i++}]") ?? AttrValue.Null);
            }
            return AttrValue.FromArray(items);
        }
        return null;
    }

    private static int EnumValue(JsonElement value, string prefix, string[] names, string where)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return 0;
            case JsonValueKind.Number when value.TryGetInt32(out var number) && number >= 0 && number < names.Length:
                return number;
            case JsonValueKind.String:
                var text = value.GetString()!;
                var bare = text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : text;
                var index = System.Array.IndexOf(names, bare);
                if (index >= 0)
                {
                    return index;
                }
                break;
        }
        throw new TraceFormatException($"{where}: unknown value {value.GetRawText()}");
    }

    private static ulong UnixNanos(JsonElement value, string where)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => "0",
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var nanos)
            ? nanos
            : throw new TraceFormatException($"{where} must be an unsigned integer (nanoseconds), found {value.GetRawText()}");
    }

    /// <summary>OTLP/JSON writes ids as hex (not base64, unlike the generic proto3 mapping).</summary>
    private static string? Id(JsonElement span, string camel, string snake, string where)
    {
        var value = Field(span, camel, snake);
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new TraceFormatException($"{where}.{camel} must be a hex string");
        }
        return value.GetString()!.ToLowerInvariant();
    }

    private static JsonElement Field(JsonElement element, string camel, string snake)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return default;
        }
        if (element.TryGetProperty(camel, out var value))
        {
            return value;
        }
        return element.TryGetProperty(snake, out value) ? value : default;
    }

    private static IEnumerable<JsonElement> Array(JsonElement element, string camel, string snake, string where)
    {
        var value = Field(element, camel, snake);
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return [];
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new TraceFormatException($"{where}.{camel} must be an array");
        }
        return value.EnumerateArray();
    }
}
