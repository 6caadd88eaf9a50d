using System.Text;
using BeTrace.Gateway.Conversion;
using BeTrace.Gateway.Json;
using BeTrace.Gateway.Otlp.Common;
using BeTrace.Gateway.Otlp.Trace;
using BeTrace.Grains.Interfaces.Spans;
using Microsoft.Extensions.Options;

namespace BeTrace.Gateway.Tests.Json;

public sealed class OtlpJsonReaderTests
{
    /// <summary>The example of the OTLP specification (opentelemetry-proto examples/trace.json), with more value kinds.</summary>
    private const string Example = """
        {
          "resourceSpans": [
            {
              "resource": {
                "attributes": [ { "key": "service.name", "value": { "stringValue": "my.service" } } ]
              },
              "scopeSpans": [
                {
                  "scope": {
                    "name": "my.library",
                    "version": "1.0.0",
                    "attributes": [ { "key": "my.scope.attribute", "value": { "stringValue": "some scope attribute" } } ]
                  },
                  "spans": [
                    {
                      "traceId": "5B8EFFF798038103D269B633813FC60C",
                      "spanId": "EEE19B7EC3C1B174",
                      "parentSpanId": "EEE19B7EC3C1B173",
                      "name": "I'm a server span",
                      "startTimeUnixNano": "1544712660000000000",
                      "endTimeUnixNano": "1544712661000000000",
                      "kind": 2,
                      "attributes": [
                        { "key": "my.span.attr", "value": { "stringValue": "some value" } },
                        { "key": "count", "value": { "intValue": "9007199254740993" } },
                        { "key": "small", "value": { "intValue": 42 } },
                        { "key": "ratio", "value": { "doubleValue": 0.5 } },
                        { "key": "nan", "value": { "doubleValue": "NaN" } },
                        { "key": "ok", "value": { "boolValue": true } },
                        { "key": "raw", "value": { "bytesValue": "AQL/" } },
                        { "key": "list", "value": { "arrayValue": { "values": [ { "intValue": "1" }, { "arrayValue": { "values": [ { "stringValue": "x" } ] } } ] } } },
                        { "key": "map", "value": { "kvlistValue": { "values": [ { "key": "k", "value": { "stringValue": "v" } } ] } } },
                        { "key": "unset", "value": { } }
                      ],
                      "events": [ { "timeUnixNano": "1544712660500000000", "name": "ev", "attributes": [] } ],
                      "links": [ { "traceId": "5B8EFFF798038103D269B633813FC60D", "spanId": "EEE19B7EC3C1B175" } ],
                      "status": { "code": 2, "message": "boom" },
                      "droppedAttributesCount": 3,
                      "flags": 257
                    }
                  ]
                }
              ]
            }
          ]
        }
        """;

    private static OtlpJsonReadResult Read(string json) => OtlpJsonReader.Read(Encoding.UTF8.GetBytes(json));

    private static string Fails(string json) => Assert.Throws<OtlpJsonException>(() => Read(json)).Message;

    private static Span OnlySpan(OtlpJsonReadResult result) => result.Request.ResourceSpans.Single().ScopeSpans.Single().Spans.Single();

    [Fact]
    public void The_specification_example_is_read_with_hex_ids_string_int64_and_integer_enums()
    {
        var result = Read(Example);

        var resourceSpans = result.Request.ResourceSpans.Single();
        Assert.Equal("my.service", resourceSpans.Resource.Attributes.Single().Value.StringValue);
        var scopeSpans = resourceSpans.ScopeSpans.Single();
        Assert.Equal("my.library", scopeSpans.Scope.Name);
        Assert.Equal("1.0.0", scopeSpans.Scope.Version);
        var span = scopeSpans.Spans.Single();
        Assert.Equal("5b8efff798038103d269b633813fc60c", Convert.ToHexStringLower(span.TraceId.Span));
        Assert.Equal("eee19b7ec3c1b174", Convert.ToHexStringLower(span.SpanId.Span));
        Assert.Equal("eee19b7ec3c1b173", Convert.ToHexStringLower(span.ParentSpanId.Span));
        Assert.Equal("I'm a server span", span.Name);
        Assert.Equal(1544712660000000000UL, span.StartTimeUnixNano);
        Assert.Equal(1544712661000000000UL, span.EndTimeUnixNano);
        Assert.Equal(Span.Types.SpanKind.Server, span.Kind);
        Assert.Equal(Status.Types.StatusCode.Error, span.Status.Code);
        Assert.Equal("boom", span.Status.Message);
        Assert.Equal(3u, span.DroppedAttributesCount);
        Assert.Equal(257u, span.Flags);
        Assert.Equal("ev", span.Events.Single().Name);
        Assert.Equal(1544712660500000000UL, span.Events.Single().TimeUnixNano);
        Assert.Equal("eee19b7ec3c1b175", Convert.ToHexStringLower(span.Links.Single().SpanId.Span));
        Assert.Equal(0, result.DecodeErrors.Count);

        var attributes = span.Attributes.ToDictionary(a => a.Key, a => a.Value);
        Assert.Equal("some value", attributes["my.span.attr"].StringValue);
        Assert.Equal(9007199254740993L, attributes["count"].IntValue);
        Assert.Equal(42L, attributes["small"].IntValue);
        Assert.Equal(0.5, attributes["ratio"].DoubleValue);
        Assert.True(double.IsNaN(attributes["nan"].DoubleValue));
        Assert.True(attributes["ok"].BoolValue);
        Assert.Equal(new byte[] { 1, 2, 255 }, attributes["raw"].BytesValue.ToByteArray());
        Assert.Equal(1L, attributes["list"].ArrayValue.Values[0].IntValue);
        Assert.Equal("x", attributes["list"].ArrayValue.Values[1].ArrayValue.Values[0].StringValue);
        Assert.Equal("v", attributes["map"].KvlistValue.Values.Single().Value.StringValue);
        Assert.Equal(AnyValue.ValueOneofCase.None, attributes["unset"].ValueCase);
    }

    [Fact]
    public void The_example_converts_to_one_wire_span_of_its_trace()
    {
        var result = Read(Example);
        var converter = new OtlpSpanConverter(Options.Create(new GatewayOptions()));

        var group = converter.Convert(result.Request, "acme", result.DecodeErrors).Groups.Single();

        Assert.Equal("acme/5b8efff798038103d269b633813fc60c", group.GrainKey);
        var span = group.Spans.Single();
        Assert.Equal(0xEEE19B7EC3C1B174UL, span.SpanId);
        Assert.Equal(0xEEE19B7EC3C1B173UL, span.ParentSpanId);
        Assert.Equal(2, span.Kind);
        Assert.Equal(2, span.Status);
        var attributes = span.Attributes.ToDictionary(a => a.Key, a => a.Value);
        Assert.False(attributes.ContainsKey("map"));
        Assert.Equal(WireValue.Of("AQL/"), attributes["raw"]);
        Assert.Equal(WireValue.Of(9007199254740993L), attributes["count"]);
    }

    [Fact]
    public void Enum_names_numeric_strings_and_snake_case_keys_are_accepted()
    {
        var result = Read("""
            {"resource_spans":[{"scope_spans":[{"spans":[
              {"trace_id":"0102030405060708090a0b0c0d0e0f10","span_id":"0102030405060708","kind":"SPAN_KIND_CLIENT",
               "start_time_unix_nano":1544712660000000000,"status":{"code":"STATUS_CODE_OK"}},
              {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060709","kind":"4","status":{"code":"1"}}
            ]}]}]}
            """);

        var spans = result.Request.ResourceSpans[0].ScopeSpans[0].Spans;
        Assert.Equal(Span.Types.SpanKind.Client, spans[0].Kind);
        Assert.Equal(1544712660000000000UL, spans[0].StartTimeUnixNano);
        Assert.Equal(Status.Types.StatusCode.Ok, spans[0].Status.Code);
        Assert.Equal(Span.Types.SpanKind.Producer, spans[1].Kind);
        Assert.Equal(Status.Types.StatusCode.Ok, spans[1].Status.Code);
    }

    [Fact]
    public void Unknown_fields_and_nulls_are_ignored()
    {
        var result = Read("""
            {"future":{"a":[1,2,{"b":null}]},"resourceSpans":[{"resource":null,"scopeSpans":[{"spans":[
              {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","parentSpanId":null,"name":null,"newField":[true],"attributes":null}
            ]}]}]}
            """);

        var span = OnlySpan(result);
        Assert.Equal(string.Empty, span.Name);
        Assert.True(span.ParentSpanId.IsEmpty);
        Assert.Null(result.Request.ResourceSpans[0].Resource);
    }

    [Fact]
    public void An_empty_request_object_is_an_empty_request()
    {
        Assert.Empty(Read("{}").Request.ResourceSpans);
        Assert.Empty(Read("""{"resourceSpans":[]}""").Request.ResourceSpans);
    }

    [Fact]
    public void Ids_that_are_not_hex_reject_only_their_span()
    {
        var result = Read("""
            {"resourceSpans":[{"scopeSpans":[{"spans":[
              {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708"},
              {"traceId":"AQIDBAUGBwgJCgsMDQ4PEA==","spanId":"0102030405060708"},
              {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"xyz"},
              {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060709","parentSpanId":"123"}
            ]}]}]}
            """);
        var converter = new OtlpSpanConverter(Options.Create(new GatewayOptions()));

        var conversion = converter.Convert(result.Request, "acme", result.DecodeErrors);

        Assert.Equal(3, result.DecodeErrors.Count);
        Assert.Equal(1, conversion.AcceptedSpans);
        Assert.Equal(
            [
                "resource_spans[0].scope_spans[0].spans[1]: trace_id is not a hex string",
                "resource_spans[0].scope_spans[0].spans[2]: span_id is not a hex string",
                "resource_spans[0].scope_spans[0].spans[3]: parent_span_id is not a hex string",
            ],
            conversion.Reasons);
    }

    [Fact]
    public void Hex_ids_of_the_wrong_length_are_rejected_by_validation()
    {
        var result = Read("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"01020304","spanId":"0102030405060708"}]}]}]}""");
        var converter = new OtlpSpanConverter(Options.Create(new GatewayOptions()));

        var conversion = converter.Convert(result.Request, "acme", result.DecodeErrors);

        Assert.Equal(["resource_spans[0].scope_spans[0].spans[0]: trace_id is 4 bytes, expected 16"], conversion.Reasons);
    }

    [Fact]
    public void Malformed_json_is_reported_with_its_line_and_byte()
    {
        var message = Fails("{\n  \"resourceSpans\": [\n    {\"scopeSpans\": [}\n  ]\n}");

        Assert.StartsWith("malformed JSON at line 3, byte ", message);
    }

    [Fact]
    public void A_field_of_the_wrong_type_is_reported_with_its_path()
    {
        var message = Fails("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":{}}]}]}]}""");

        Assert.StartsWith("$.resourceSpans[0].scopeSpans[0].spans[0].kind: expected a SpanKind enum value (an integer)", message);
        Assert.Contains("at byte 52, found an object", message);
    }

    [Theory]
    [InlineData("", "the body is empty")]
    [InlineData("[]", "$: expected an ExportTraceServiceRequest object")]
    [InlineData("  \n ", "the body is empty")]
    [InlineData("{} {}", "malformed JSON at line 1, byte 4")]
    [InlineData("""{"resourceSpans":{}}""", "$.resourceSpans: expected an array")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"12x"}]}]}]}""", "startTimeUnixNano: expected an unsigned 64-bit integer")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":{"intValue":1.5}}]}]}]}]}""", "intValue: expected a 64-bit integer")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":{"bytesValue":"%%"}}]}]}]}]}""", "bytesValue: expected a base64 string")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":12}]}]}]}""", "traceId: expected a hex string")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":"SPAN_KIND_NOPE"}]}]}]}""", "kind: expected a SpanKind enum value")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":1}]}]}]}""", "name: expected a string")]
    public void Bad_input_names_what_is_wrong(string json, string expected)
    {
        Assert.Contains(expected, Fails(json));
    }

    [Fact]
    public void Url_safe_and_unpadded_base64_bytes_are_accepted()
    {
        var result = Read("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":{"bytesValue":"AQL_"}},{"key":"p","value":{"bytesValue":"AQ"}}]}]}]}]}""");

        var attributes = OnlySpan(result).Attributes;
        Assert.Equal(new byte[] { 1, 2, 255 }, attributes[0].Value.BytesValue.ToByteArray());
        Assert.Equal(new byte[] { 1 }, attributes[1].Value.BytesValue.ToByteArray());
    }

    [Fact]
    public void Deep_nesting_is_refused_not_a_stack_overflow()
    {
        var json = """{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":"""
            + string.Concat(Enumerable.Repeat("""{"arrayValue":{"values":[""", 200))
            + string.Concat(Enumerable.Repeat("]}}", 200))
            + "}]}]}]}]}";

        Assert.StartsWith("malformed JSON", Fails(json));
    }
}
