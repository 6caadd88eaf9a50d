using System.Net;
using System.Net.Http.Headers;
using BeTrace.Gateway.Otlp.Collector.Trace;
using BeTrace.Gateway.Otlp.Common;
using BeTrace.Gateway.Otlp.Trace;
using Google.Protobuf;
using OpenTelemetry.Exporter;
using OtlpResource = BeTrace.Gateway.Otlp.Resource.Resource;

namespace BeTrace.EndToEnd.Tests;

/// <summary>
/// OTLP into a real silo on its embedded default, from the OpenTelemetry SDK's own exporter and from plain HTTP,
/// and violation spans out to a real OTLP receiver.
/// </summary>
public sealed class EmbeddedIngestTests(EmbeddedSiloFixture fixture) : IClassFixture<EmbeddedSiloFixture>
{
    private Uri Endpoint(OtlpExportProtocol protocol) =>
        protocol == OtlpExportProtocol.Grpc ? fixture.Silo.OtlpGrpc : fixture.Silo.OtlpHttp;

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task Sdk_traffic_yields_one_violation_span_per_violated_rule_and_none_for_clean_traces(OtlpExportProtocol protocol)
    {
        using var app = new SdkTraces(Endpoint(protocol), protocol, tenant: "acme");
        var fraudOnly = app.Checkout(amount: 5000, fraudChecked: false);
        var both = app.Checkout(amount: 2500, fraudChecked: false, failed: true);
        var failedOnly = app.Checkout(amount: 50, fraudChecked: false, failed: true);
        var clean = app.Checkout(amount: 5000, fraudChecked: true);
        app.Flush();

        var key = fixture.SigningKey;
        var first = Assert.Single(await ViolationAssertions.ExactlyFor(fixture.Receiver, fraudOnly.TraceId, 1));
        ViolationAssertions.AssertViolation(first, fraudOnly.TraceId, fraudOnly.PaymentSpanId, "fraud-check", "HIGH", "acme", key);
        Assert.Equal("PCI DSS", first.StringAttributes["compliance.framework"]);

        var two = await ViolationAssertions.ExactlyFor(fixture.Receiver, both.TraceId, 2);
        ViolationAssertions.AssertViolation(two.Single(s => s.StringAttributes["betrace.violation.rule_id"] == "fraud-check"),
            both.TraceId, both.PaymentSpanId, "fraud-check", "HIGH", "acme", key);
        ViolationAssertions.AssertViolation(two.Single(s => s.StringAttributes["betrace.violation.rule_id"] == "failed-checkout"),
            both.TraceId, both.CheckoutSpanId, "failed-checkout", "MEDIUM", "acme", key);

        var failed = Assert.Single(await ViolationAssertions.ExactlyFor(fixture.Receiver, failedOnly.TraceId, 1));
        ViolationAssertions.AssertViolation(failed, failedOnly.TraceId, failedOnly.CheckoutSpanId, "failed-checkout", "MEDIUM", "acme", key);

        await ViolationAssertions.ExactlyFor(fixture.Receiver, clean.TraceId, 0);
    }

    [Fact]
    public async Task Plain_json_over_http_is_accepted_and_evaluated_for_the_default_tenant()
    {
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        const string paymentId = "00f067aa0ba902b7";
        var json = $$$"""
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}}]},
              "scopeSpans":[{"scope":{"name":"manual"},"spans":[
                {"traceId":"{{{traceId}}}","spanId":"53995c3f42cd8ad8","name":"checkout","kind":2,
                 "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000100000000"},
                {"traceId":"{{{traceId}}}","spanId":"{{{paymentId}}}","parentSpanId":"53995c3f42cd8ad8","name":"payment","kind":1,
                 "startTimeUnixNano":"1700000000010000000","endTimeUnixNano":"1700000000090000000",
                 "attributes":[{"key":"amount","value":{"intValue":"4200"}}]}]}]}]}
            """;
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(fixture.Silo.OtlpHttp, "/v1/traces"),
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var span = Assert.Single(await ViolationAssertions.ExactlyFor(fixture.Receiver, traceId, 1));
        ViolationAssertions.AssertViolation(span, traceId, paymentId, "fraud-check", "HIGH", "default", fixture.SigningKey);
    }

    [Fact]
    public async Task A_retried_export_creates_no_duplicate_violation()
    {
        var request = Request(Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()), out var traceId, amount: 9000);
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var response = await PostProtobuf(http, request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await ViolationAssertions.ExactlyFor(fixture.Receiver, traceId, 1);

        // A retry that arrives after the evaluation (within the grace period) adds nothing either.
        using (var late = await PostProtobuf(http, request))
        {
            Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        }
        await ViolationAssertions.ExactlyFor(fixture.Receiver, traceId, 1);
    }

    public static TheoryData<string, string, byte[], HttpStatusCode> BadHttpRequests() => new()
    {
        { "malformed protobuf", "application/x-protobuf", [0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01], HttpStatusCode.BadRequest },
        { "malformed json", "application/json", "{\"resourceSpans\": ["u8.ToArray(), HttpStatusCode.BadRequest },
        { "wrong content type", "text/plain", "hello"u8.ToArray(), HttpStatusCode.UnsupportedMediaType },
        { "all-zero trace id", "application/x-protobuf", Request(new string('0', 32), out _).ToByteArray(), HttpStatusCode.BadRequest },
        { "oversized body", "application/x-protobuf", new byte[9 * 1024 * 1024], HttpStatusCode.RequestEntityTooLarge },
    };

    [Theory]
    [MemberData(nameof(BadHttpRequests))]
    public async Task Bad_http_input_gets_a_clear_non_retryable_error_and_the_server_keeps_serving(
        string what, string contentType, byte[] body, HttpStatusCode expected)
    {
        using var http = new HttpClient();
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await http.PostAsync(new Uri(fixture.Silo.OtlpHttp, "/v1/traces"), content);
        Assert.True(expected == response.StatusCode, $"{what}: expected {expected}, got {response.StatusCode}");
        Assert.False(string.IsNullOrWhiteSpace(await response.Content.ReadAsStringAsync()), $"{what}: the error must say what is wrong");

        using var good = await PostProtobuf(http, Request(Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()), out _, amount: 1));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }

    [Fact]
    public async Task Invalid_spans_are_rejected_in_partial_success_while_valid_neighbours_are_kept()
    {
        var request = Request(Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()), out var traceId, amount: 7000);
        request.ResourceSpans[0].ScopeSpans[0].Spans.Add(new Span
        {
            TraceId = ByteString.CopyFrom(new byte[4]),
            SpanId = ByteString.CopyFrom(Convert.FromHexString("1111111111111111")),
            Name = "broken",
        });
        using var http = new HttpClient();
        using var response = await PostProtobuf(http, request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, answer.PartialSuccess.RejectedSpans);
        Assert.Contains("trace_id", answer.PartialSuccess.ErrorMessage, StringComparison.Ordinal);
        await ViolationAssertions.ExactlyFor(fixture.Receiver, traceId, 1);
    }

    [Fact]
    public async Task Grpc_invalid_argument_for_a_request_of_only_invalid_spans()
    {
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(fixture.Silo.OtlpGrpc);
        var client = new TraceService.TraceServiceClient(channel);
        var bad = Request(new string('0', 32), out _);
        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await client.ExportAsync(bad));
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("trace_id", error.Status.Detail, StringComparison.Ordinal);

        var good = await client.ExportAsync(Request(Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()), out _, amount: 1));
        Assert.Null(good.PartialSuccess);
    }

    private Task<HttpResponseMessage> PostProtobuf(HttpClient http, ExportTraceServiceRequest request)
    {
        var content = new ByteArrayContent(request.ToByteArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        return http.PostAsync(new Uri(fixture.Silo.OtlpHttp, "/v1/traces"), content);
    }

    private static ExportTraceServiceRequest Request(string traceIdHex, out string traceId, long amount = 5000)
    {
        traceId = traceIdHex;
        var id = ByteString.CopyFrom(Convert.FromHexString(traceIdHex));
        return new ExportTraceServiceRequest
        {
            ResourceSpans =
            {
                new ResourceSpans
                {
                    Resource = new OtlpResource { Attributes = { new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "shop" } } } },
                    ScopeSpans =
                    {
                        new ScopeSpans
                        {
                            Spans =
                            {
                                new Span { TraceId = id, SpanId = ByteString.CopyFrom(Convert.FromHexString("0102030405060708")), Name = "checkout" },
                                new Span
                                {
                                    TraceId = id, SpanId = ByteString.CopyFrom(Convert.FromHexString("1112131415161718")),
                                    ParentSpanId = ByteString.CopyFrom(Convert.FromHexString("0102030405060708")), Name = "payment",
                                    Attributes = { new KeyValue { Key = "amount", Value = new AnyValue { IntValue = amount } } },
                                },
                            },
                        },
                    },
                },
            },
        };
    }
}
