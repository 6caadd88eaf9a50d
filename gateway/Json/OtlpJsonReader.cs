using System.Globalization;
using System.Text;
using System.Text.Json;
using BeTrace.Gateway.Conversion;
using BeTrace.Gateway.Otlp.Collector.Trace;
using BeTrace.Gateway.Otlp.Common;
using BeTrace.Gateway.Otlp.Trace;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using OtlpResource = BeTrace.Gateway.Otlp.Resource.Resource;

namespace BeTrace.Gateway.Json;

/// <summary>
/// Reads an OTLP/JSON <c>ExportTraceServiceRequest</c> into the protobuf messages, following the OTLP/JSON rules:
/// lowerCamelCase keys (the proto field names are accepted too), trace and span ids as hex strings (not base64),
/// enums as integers (names accepted too), 64-bit integers as decimal strings or numbers, other bytes as base64,
/// unknown fields ignored. A span id that is not hex does not fail the request: the span is listed in
/// <see cref="OtlpJsonReadResult.DecodeErrors"/> and rejected alone.
/// </summary>
public static class OtlpJsonReader
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    private static readonly EnumDescriptor SpanKindEnum = Span.Descriptor.FindFieldByName("kind").EnumType;
    private static readonly EnumDescriptor StatusCodeEnum = Status.Descriptor.FindFieldByName("code").EnumType;

    private delegate void PropertyReader(ref Utf8JsonReader reader, string name);

    private delegate void ElementReader(ref Utf8JsonReader reader);

    /// <exception cref="OtlpJsonException">The body is not JSON, or a field has the wrong type; the message says where.</exception>
    public static OtlpJsonReadResult Read(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new OtlpJsonException("malformed JSON: the body is empty (expected an ExportTraceServiceRequest object)");
        }

        var decoder = new Decoder();
        var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
        try
        {
            reader.Read();

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw decoder.Error(ref reader, "expected an ExportTraceServiceRequest object");
            }

            var request = decoder.ReadRequest(ref reader);
            if (reader.Read())
            {
                throw decoder.Error(ref reader, "unexpected content after the request object");
            }

            return new OtlpJsonReadResult(request, decoder.Errors);
        }
        catch (JsonException ex)
        {
            throw new OtlpJsonException($"malformed JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1} of the line: {FirstSentence(ex.Message)}", ex);
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }

    private sealed class Decoder
    {
        private readonly List<string> _path = [];

        public SpanDecodeErrors Errors { get; } = new();

        public OtlpJsonException Error(ref Utf8JsonReader reader, string problem)
        {
            var path = new StringBuilder("$");
            foreach (var segment in _path)
            {
                path.Append(segment);
            }

            return new OtlpJsonException($"{path}: {problem} (at byte {reader.TokenStartIndex + 1}, found {Describe(reader.TokenType)})");
        }

        public ExportTraceServiceRequest ReadRequest(ref Utf8JsonReader reader)
        {
            var request = new ExportTraceServiceRequest();
            ReadObject(ref reader, (ref Utf8JsonReader r, string name) =>
            {
                switch (name)
                {
                    case "resourceSpans" or "resource_spans":
                        ReadArray(ref r, (ref Utf8JsonReader e) => request.ResourceSpans.Add(ReadResourceSpans(ref e)));
                        break;
                    default:
                        r.Skip();
                        break;
                }
            });
            return request;
        }

        private ResourceSpans ReadResourceSpans(ref Utf8JsonReader reader)
        {
            var message = new ResourceSpans();
            ReadObject(ref reader, (ref Utf8JsonReader r, string name) =>
            {
                switch (name)
                {
                    case "resource":
                        message.Resource = ReadResource(ref r);
                        break;
                    case "scopeSpans" or "scope_spans":
                        ReadArray(ref r, (ref Utf8JsonReader e) => message.ScopeSpans.Add(ReadScopeSpans(ref e)));
                        break;
                    case "schemaUrl" or "schema_url":
                        message.SchemaUrl = ReadString(ref r);
                        break;
                    default:
                        r.Skip();
                        break;
                }
            });
            return message;
        }

        private OtlpResource ReadResource(ref Utf8JsonReader reader)
        {
            var message = new OtlpResource();
            ReadObject(ref reader, (ref Utf8JsonReader r, string name) =>
            {
                switch (name)
                {
                    case "attributes":
                        ReadKeyValues(ref r, message.Attributes);
                        break;
                    case "droppedAttributesCount" or "dropped_attributes_count":
                        message.DroppedAttributesCount = ReadUInt32(ref r);
                        break;
                    default:
                        r.Skip();
                        break;
                }
            });
            return message;
        }

        private ScopeSpans ReadScopeSpans(ref Utf8JsonReader reader)
        {
            var message = new ScopeSpans();
            ReadObject(ref reader, (ref Utf8JsonReader r, string name) =>
            {
                switch (name)
                {
                    case "scope":
                        message.Scope = ReadScope(ref r);
                        break;
                    case "spans":
                        ReadArray(ref r, (ref Utf8JsonReader e) => message.Spans.Add(ReadSpan(ref e)));
                        break;
                    case "schemaUrl" or "schema_url":
                        message.SchemaUrl = ReadString(ref r);
                        break;
                    default:
                        r.Skip();
                        break;
                }
            });
            return message;
        }

        private InstrumentationScope ReadScope(ref Utf8JsonReader reader)
        {
            var message = new InstrumentationScope();
            ReadObject(ref reader, (ref Utf8JsonReader r, string name) =>
            {
                switch (name)
                {
                    case "name":
                        message.Name = ReadString(ref r);
                        break;
                    case "version":
                        message.Version = ReadString(ref r);
                        break;
                    case "attributes":
                        ReadKeyValues(ref r, message.Attributes);
                        break;
                    case "droppedAttributesCount" or "dropped_attributes_count":
                        message.DroppedAttributesCount = ReadUInt32(ref r);
                        break;
                    default:
                        r.Skip();
                        break;
                }
            });
            return message;
        }

        private Span ReadSpan(ref Utf8JsonReader reader)
        {
            var span = new Span();
            SpanDecodeError? error = null;
            ReadObject(ref reader, (ref Utf8JsonReader r, string name) =>
            {
                switch (name)
                {
                    case "traceId" or "trace_id":
                        span.TraceId = ReadId(ref r, out var traceOk);
                        error ??= traceOk ? null : new SpanDecodeError(SpanRejectReason.InvalidTraceId, "trace_id is not a hex string");
                        break;
                    case "spanId" or "span_id":
                        span.SpanId = ReadId(ref r, out var spanOk);
                        error ??= spanOk ? null : new SpanDecodeError(SpanRejectReason.InvalidSpanId, "span_id is not a hex string");
                        break;
                    case "parentSpanId" or "parent_span_id":
                        span.ParentSpanId = ReadId(ref r, out var parentOk);
                        error ??= parentOk ? null : new SpanDecodeError(SpanRejectReason.InvalidParentSpanId, "parent_span_id is not a hex string");
                        break;
                    case "traceState" or "trace_state":
                        span.TraceState = ReadString(ref r);
                        break;
                    case "flags":
                        span.Flags = ReadUInt32(ref r);
                        break;
                    case "name":
                        span.Name = ReadString(ref r);
                        break;
                    case "kind":
                        span.Kind = (Span.Types.SpanKind)ReadEnum(ref r, SpanKindEnum);
                        break;
                    case "startTimeUnixNano" or "start_time_unix_nano":
                        span.StartTimeUnixNano = ReadUInt64(ref r);
                        break;
                    case "endTimeUnixNano" or "end_time_unix_nano":
                        span.EndTimeUnixNano = ReadUInt64(ref r);
                        break;
                    case "attributes":
                        ReadKeyValues(ref r, span.Attributes);
                        break;
                    case "droppedAttributesCount" or "dropped_attributes_count":
                        span.DroppedAttributesCount = ReadUInt32(ref r);
                        break;
                    case "events":
                        ReadArray(ref r, (ref Utf8JsonReader e) => span.Events.Add(ReadEvent(ref e)));
                        break;
                    case "droppedEventsCount" or "dropped_events_count":
                        span.DroppedEventsCount = ReadUInt32(ref r);
                        break;
                    case "links":
                        ReadArray(ref r, (ref Utf8JsonReader e) => span.Links.Add(ReadLink(ref e)));
                        break;
                    case "droppedLinksCount" or "dropped_links_count":
                        span.DroppedLinksCount = ReadUInt32(ref r);
                        break;
                    case "status":
                        span.Status = ReadStatus(ref r);
                        break;
                    default:
                        r.Skip();
                        break;
                }
            });
            if (error is not null)
            {
                Errors.Add(span, error);
            }

            return span;
        }

        private Status ReadStatus(ref Utf8JsonReader reader)
        {
            var message = new Status();
            ReadObject(ref reader, (ref Utf8JsonReader r, string name) =>
            {
                switch (name)
                {
                    case "message":
                        message.Message = ReadString(ref r);
                        break;
                    case "code":
                        message.Code = (Status.Types.StatusCode)ReadEnum(ref r, StatusCodeEnum);
                        break;
                    default:
                        r.Skip();
                        break;
                }
            });
            return message;
        }

        private Span.Types.Event ReadEvent(ref Utf8JsonReader reader)
        {
            var message = new Span.Types.Event();
            ReadObject(ref reader, (ref Utf8JsonReader r, string name) =>
            {
                switch (name)
                {
                    case "timeUnixNano" or "time_unix_nano":
                        message.TimeUnixNano = ReadUInt64(ref r);
                        break;
                    case "name":
                        message.Name = ReadString(ref r);
                        break;
                    case "attributes":
                        ReadKeyValues(ref r, message.Attributes);
                        break;
                    case "droppedAttributesCount" or "dropped_attributes_count":
                        message.DroppedAttributesCount = ReadUInt32(ref r);
                        break;
                    default:
                        r.Skip();
                        break;
                }
            });
            return message;
        }

        private Span.Types.Link ReadLink(ref Utf8JsonReader reader)
        {
            // Links are not carried to the trace grains: an id that is not hex is left empty instead of failing.
            var message = new Span.Types.Link();
            ReadObject(ref reader, (ref Utf8JsonReader r, string name) =>
            {
                switch (name)
                {
                    case "traceId" or "trace_id":
                        message.TraceId = ReadId(ref r, out _);
                        break;
                    case "spanId" or "span_id":
                        message.SpanId = ReadId(ref r, out _);
                        break;
                    case "traceState" or "trace_state":
                        message.TraceState = ReadString(ref r);
                        break;
                    case "attributes":
                        ReadKeyValues(ref r, message.Attributes);
                        break;
                    case "droppedAttributesCount" or "dropped_attributes_count":
                        message.DroppedAttributesCount = ReadUInt32(ref r);
                        break;
                    case "flags":
                        message.Flags = ReadUInt32(ref r);
                        break;
                    default:
                        r.Skip();
                        break;
                }
            });
            return message;
        }

        private void ReadKeyValues(ref Utf8JsonReader reader, ICollection<KeyValue> target) =>
            ReadArray(ref reader, (ref Utf8JsonReader e) => target.Add(ReadKeyValue(ref e)));

        private KeyValue ReadKeyValue(ref Utf8JsonReader reader)
        {
            var message = new KeyValue();
            ReadObject(ref reader, (ref Utf8JsonReader r, string name) =>
            {
                switch (name)
                {
                    case "key":
                        message.Key = ReadString(ref r);
                        break;
                    case "value":
                        message.Value = ReadAnyValue(ref r);
                        break;
                    default:
                        r.Skip();
                        break;
                }
            });
            return message;
        }

        private AnyValue ReadAnyValue(ref Utf8JsonReader reader)
        {
            var message = new AnyValue();
            ReadObject(ref reader, (ref Utf8JsonReader r, string name) =>
            {
                switch (name)
                {
                    case "stringValue" or "string_value":
                        message.StringValue = ReadString(ref r);
                        break;
                    case "boolValue" or "bool_value":
                        message.BoolValue = ReadBool(ref r);
                        break;
                    case "intValue" or "int_value":
                        message.IntValue = ReadInt64(ref r);
                        break;
                    case "doubleValue" or "double_value":
                        message.DoubleValue = ReadDouble(ref r);
                        break;
                    case "bytesValue" or "bytes_value":
                        message.BytesValue = ReadBase64(ref r);
                        break;
                    case "arrayValue" or "array_value":
                        var array = new ArrayValue();
                        ReadValuesWrapper(ref r, (ref Utf8JsonReader e) => array.Values.Add(ReadAnyValue(ref e)));
                        message.ArrayValue = array;
                        break;
                    case "kvlistValue" or "kvlist_value":
                        var list = new KeyValueList();
                        ReadValuesWrapper(ref r, (ref Utf8JsonReader e) => list.Values.Add(ReadKeyValue(ref e)));
                        message.KvlistValue = list;
                        break;
                    default:
                        r.Skip();
                        break;
                }
            });
            return message;
        }

        /// <summary>ArrayValue and KeyValueList: an object whose "values" is the list.</summary>
        private void ReadValuesWrapper(ref Utf8JsonReader reader, ElementReader element) =>
            ReadObject(ref reader, (ref Utf8JsonReader r, string name) =>
            {
                if (name == "values")
                {
                    ReadArray(ref r, element);
                }
                else
                {
                    r.Skip();
                }
            });

        private void ReadObject(ref Utf8JsonReader reader, PropertyReader property)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Error(ref reader, "expected an object");
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString() ?? string.Empty;
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    // proto3 JSON: null is the field's default value (a message field stays unset).
                    continue;
                }

                _path.Add("." + name);
                property(ref reader, name);
                _path.RemoveAt(_path.Count - 1);
            }
        }

        private void ReadArray(ref Utf8JsonReader reader, ElementReader element)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw Error(ref reader, "expected an array");
            }

            var index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                _path.Add(string.Create(CultureInfo.InvariantCulture, $"[{index}]"));
                element(ref reader);
                _path.RemoveAt(_path.Count - 1);
                index++;
            }
        }

        private string ReadString(ref Utf8JsonReader reader) => reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString() ?? string.Empty,
            JsonTokenType.Null => string.Empty,
            _ => throw Error(ref reader, "expected a string"),
        };

        private bool ReadBool(ref Utf8JsonReader reader) => reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False or JsonTokenType.Null => false,
            _ => throw Error(ref reader, "expected true or false"),
        };

        private long ReadInt64(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    return 0;
                case JsonTokenType.Number when reader.TryGetInt64(out var number):
                    return number;
                case JsonTokenType.String when long.TryParse(reader.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed):
                    return parsed;
                default:
                    throw Error(ref reader, "expected a 64-bit integer (a decimal string or a number)");
            }
        }

        private ulong ReadUInt64(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    return 0;
                case JsonTokenType.Number when reader.TryGetUInt64(out var number):
                    return number;
                case JsonTokenType.String when ulong.TryParse(reader.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed):
                    return parsed;
                default:
                    throw Error(ref reader, "expected an unsigned 64-bit integer (a decimal string or a number)");
            }
        }

        private uint ReadUInt32(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    return 0;
                case JsonTokenType.Number when reader.TryGetUInt32(out var number):
                    return number;
                case JsonTokenType.String when uint.TryParse(reader.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed):
                    return parsed;
                default:
                    throw Error(ref reader, "expected an unsigned 32-bit integer");
            }
        }

        private double ReadDouble(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    return 0;
                case JsonTokenType.Number when reader.TryGetDouble(out var number):
                    return number;
                case JsonTokenType.String:
                    var text = reader.GetString();
                    switch (text)
                    {
                        case "NaN":
                            return double.NaN;
                        case "Infinity":
                            return double.PositiveInfinity;
                        case "-Infinity":
                            return double.NegativeInfinity;
                    }

                    if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
                    {
                        return parsed;
                    }

                    break;
            }

            throw Error(ref reader, "expected a number (or \"NaN\", \"Infinity\", \"-Infinity\")");
        }

        private int ReadEnum(ref Utf8JsonReader reader, EnumDescriptor descriptor)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    return 0;
                case JsonTokenType.Number when reader.TryGetInt32(out var number):
                    return number;
                case JsonTokenType.String:
                    var text = reader.GetString() ?? string.Empty;
                    if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
                    {
                        return parsed;
                    }

                    if (descriptor.FindValueByName(text) is { } value)
                    {
                        return value.Number;
                    }

                    break;
            }

            throw Error(ref reader, $"expected a {descriptor.Name} enum value (an integer)");
        }

        /// <summary>A trace or span id: hex in OTLP/JSON. <paramref name="ok"/> is false (and the id empty) when it is not hex.</summary>
        private ByteString ReadId(ref Utf8JsonReader reader, out bool ok)
        {
            ok = true;
            if (reader.TokenType == JsonTokenType.Null)
            {
                return ByteString.Empty;
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                throw Error(ref reader, "expected a hex string");
            }

            var text = reader.GetString() ?? string.Empty;
            if (text.Length % 2 != 0 || !text.All(char.IsAsciiHexDigit))
            {
                ok = false;
                return ByteString.Empty;
            }

            return ByteString.CopyFrom(Convert.FromHexString(text));
        }

        private ByteString ReadBase64(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return ByteString.Empty;
            }

            if (reader.TokenType == JsonTokenType.String)
            {
                // proto3 JSON: standard or URL-safe base64, with or without padding.
                var text = (reader.GetString() ?? string.Empty).Replace('-', '+').Replace('_', '/');
                text = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
                var buffer = new byte[text.Length / 4 * 3];
                if (Convert.TryFromBase64String(text, buffer, out var written))
                {
                    return ByteString.CopyFrom(buffer, 0, written);
                }
            }

            throw Error(ref reader, "expected a base64 string");
        }

        private static string Describe(JsonTokenType token) => token switch
        {
            JsonTokenType.StartObject => "an object",
            JsonTokenType.StartArray => "an array",
            JsonTokenType.String => "a string",
            JsonTokenType.Number => "a number",
            JsonTokenType.True or JsonTokenType.False => "a boolean",
            JsonTokenType.Null => "null",
            _ => token.ToString(),
        };
    }
}
