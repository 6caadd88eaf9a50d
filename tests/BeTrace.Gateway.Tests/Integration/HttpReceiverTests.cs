using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BeTrace.Gateway.Otlp.Collector.Trace;
using BeTrace.Gateway.Tests.Support;
using Google.Protobuf;
using static BeTrace.Gateway.Tests.Support.TestData;
using RpcStatus = BeTrace.Gateway.Otlp.Rpc.Status;

namespace BeTrace.Gateway.Tests.Integration;

[Collection(GatewayClusterCollection.Name)]
public sealed class HttpReceiverTests(GatewayClusterFixture cluster) : IAsyncLifetime
{
    private const string Protobuf = "application/x-protobuf";
    private const string Json = "application/json";

    private GatewayHost _host = null!;

    private TraceGrainRecorder Recorder => cluster.Recorder;

    public async Task InitializeAsync() => _host = await GatewayHost.StartAsync(cluster.Grains);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Task<HttpResponseMessage> PostAsync(
        GatewayHost host, byte[] body, string contentType, string? tenant = null, string? token = null, string? encoding = null, bool chunked = false)
    {
        HttpContent content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (encoding is not null)
        {
            content.Headers.ContentEncoding.Add(encoding);
        }

        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/traces") { Content = content };
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        if (tenant is not null)
        {
            request.Headers.Add("X-Scope-OrgID", tenant);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return host.Http.SendAsync(request);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    private static async Task<ExportTraceServiceResponse> OkProtobuf(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        Assert.Equal(Protobuf, response.Content.Headers.ContentType?.MediaType);
        return ExportTraceServiceResponse.Parser.ParseFrom(body);
    }

    private static async Task<JsonElement> OkJson(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body}");
        Assert.Equal(Json, response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>The status and message of an error answered with a protobuf google.rpc.Status.</summary>
    private static async Task<RpcStatus> ProtobufError(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        Assert.Equal(Protobuf, response.Content.Headers.ContentType?.MediaType);
        return RpcStatus.Parser.ParseFrom(body);
    }

    /// <summary>The code and message of an error answered with a JSON google.rpc.Status.</summary>
    private static async Task<(int Code, string Message)> JsonError(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(Json, response.Content.Headers.ContentType?.MediaType);
        var root = JsonDocument.Parse(body).RootElement;
        return (root.GetProperty("code").GetInt32(), root.GetProperty("message").GetString()!);
    }

    /// <summary>The gateway still takes good traffic over HTTP after a bad request.</summary>
    private async Task ServesHttpAsync(GatewayHost? host = null, string? token = null, string? tenant = null)
    {
        tenant ??= NewTenant();
        var before = Recorder.Appends(tenant).Count;
        using var response = await PostAsync(host ?? _host, OneSpan().ToByteArray(), Protobuf, tenant, token);
        Assert.Null((await OkProtobuf(response)).PartialSuccess);
        Assert.Equal(before + 1, Recorder.Appends(tenant).Count);
    }

    [Fact]
    public async Task A_protobuf_export_is_answered_in_protobuf_with_one_append_per_trace()
    {
        var tenant = NewTenant();
        var traceA = NewTraceId();
        var traceB = NewTraceId();
        var request = Request(Resource("svc", NewSpan(traceA), NewSpan(traceB), NewSpan(traceA)));

        using var response = await PostAsync(_host, request.ToByteArray(), Protobuf, tenant);

        Assert.Null((await OkProtobuf(response)).PartialSuccess);
        var appends = Recorder.Appends(tenant);
        Assert.Equal(2, appends.Count);
        Assert.Equal(2, appends.Single(a => a.GrainKey == $"{tenant}/{Hex(traceA)}").Batch.Spans.Length);
        Assert.Single(appends.Single(a => a.GrainKey == $"{tenant}/{Hex(traceB)}").Batch.Spans);
    }

    [Fact]
    public async Task A_json_export_with_hex_ids_is_answered_in_json()
    {
        var tenant = NewTenant();
        const string json = """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"web"}}]},
              "scopeSpans":[{"scope":{"name":"lib"},"spans":[
                {"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","name":"root","kind":2,
                 "startTimeUnixNano":"1544712660000000000","endTimeUnixNano":"1544712661000000000",
                 "attributes":[{"key":"n","value":{"intValue":"7"}}]},
                {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b175","parentSpanId":"eee19b7ec3c1b174","name":"child","kind":3}
              ]}]}]}
            """;

        using var response = await PostAsync(_host, Utf8(json), "application/json; charset=utf-8", tenant);

        var body = await OkJson(response);
        Assert.False(body.TryGetProperty("partialSuccess", out _));
        var append = Recorder.Appends(tenant).Single();
        Assert.Equal($"{tenant}/5b8efff798038103d269b633813fc60c", append.GrainKey);
        Assert.Equal(0xEEE19B7EC3C1B174UL, append.Batch.Spans[0].SpanId);
        Assert.Equal(0xEEE19B7EC3C1B174UL, append.Batch.Spans[1].ParentSpanId);
        Assert.Equal(2, append.Batch.Spans[0].Kind);
        Assert.Equal(1544712660000000000UL, append.Batch.Spans[0].StartUnixNanos);
        Assert.Equal(7L, append.Batch.Spans[0].Attributes.Single().Value.Int);
        Assert.Equal("web", append.Batch.Spans[1].Resource.Attributes.Single().Value.Text);
    }

    [Fact]
    public async Task A_json_partial_success_reports_rejected_spans_in_json()
    {
        var tenant = NewTenant();
        const string json = """
            {"resourceSpans":[{"scopeSpans":[{"spans":[
              {"traceId":"0102","spanId":"0102030405060708"},
              {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708"},
              {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"not-hex"}
            ]}]}]}
            """;

        using var response = await PostAsync(_host, Utf8(json), Json, tenant);

        var partial = (await OkJson(response)).GetProperty("partialSuccess");
        Assert.Equal("2", partial.GetProperty("rejectedSpans").GetString());
        Assert.Equal(
            "2 of 3 spans were rejected: resource_spans[0].scope_spans[0].spans[0]: trace_id is 2 bytes, expected 16; "
            + "resource_spans[0].scope_spans[0].spans[2]: span_id is not a hex string",
            partial.GetProperty("errorMessage").GetString());
        Assert.Single(Recorder.Appends(tenant));
    }

    [Fact]
    public async Task Gzip_bodies_are_accepted_in_both_encodings()
    {
        var tenant = NewTenant();
        var json = """{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0f02030405060708090a0b0c0d0e0f10","spanId":"0102030405060708"}]}]}]}""";

        using var protobuf = await PostAsync(_host, Gzip(OneSpan().ToByteArray()), Protobuf, tenant, encoding: "gzip");
        using var jsonResponse = await PostAsync(_host, Gzip(Utf8(json)), Json, tenant, encoding: "gzip");

        Assert.Null((await OkProtobuf(protobuf)).PartialSuccess);
        await OkJson(jsonResponse);
        Assert.Equal(2, Recorder.Appends(tenant).Count);
        Assert.Contains(Recorder.Appends(tenant), a => a.TraceIdHex == "0f02030405060708090a0b0c0d0e0f10");
    }

    [Fact]
    public async Task An_empty_body_is_a_valid_empty_request()
    {
        var tenant = NewTenant();

        using var response = await PostAsync(_host, [], Protobuf, tenant);

        Assert.Null((await OkProtobuf(response)).PartialSuccess);
        Assert.Empty(Recorder.Appends(tenant));
    }

    [Fact]
    public async Task Other_content_types_and_encodings_are_415()
    {
        using var text = await PostAsync(_host, Utf8("hello"), "text/plain", NewTenant());
        using var brotli = await PostAsync(_host, OneSpan().ToByteArray(), Protobuf, NewTenant(), encoding: "br");

        var (code, message) = await JsonError(text, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(3, code);
        Assert.Equal("Content-Type 'text/plain' is not supported: use application/x-protobuf or application/json", message);
        var status = await ProtobufError(brotli, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("Content-Encoding 'br' is not supported: use gzip or none", status.Message);
        await ServesHttpAsync();
    }

    [Fact]
    public async Task A_malformed_protobuf_body_is_400_saying_so()
    {
        var tenant = NewTenant();

        using var response = await PostAsync(_host, [0x0A, 0x05, 0x01], Protobuf, tenant);

        var status = await ProtobufError(response, HttpStatusCode.BadRequest);
        Assert.Equal(3, status.Code);
        Assert.StartsWith("the body is not a valid protobuf ExportTraceServiceRequest: ", status.Message);
        Assert.Empty(Recorder.Appends(tenant));
        await ServesHttpAsync();
    }

    [Fact]
    public async Task Malformed_json_is_400_with_the_error_position()
    {
        var tenant = NewTenant();

        using var response = await PostAsync(_host, Utf8("{\"resourceSpans\": [\n  {\"scopeSpans\": ]}"), Json, tenant);

        var (code, message) = await JsonError(response, HttpStatusCode.BadRequest);
        Assert.Equal(3, code);
        Assert.StartsWith("the body is not a valid OTLP/JSON ExportTraceServiceRequest: malformed JSON at line 2, byte ", message);
        Assert.Empty(Recorder.Appends(tenant));
        await ServesHttpAsync();
    }

    [Fact]
    public async Task A_body_that_is_not_gzip_is_400()
    {
        using var response = await PostAsync(_host, OneSpan().ToByteArray(), Protobuf, NewTenant(), encoding: "gzip");

        var status = await ProtobufError(response, HttpStatusCode.BadRequest);
        Assert.StartsWith("Content-Encoding gzip: the body is not valid gzip", status.Message);
        await ServesHttpAsync();
    }

    [Fact]
    public async Task Only_invalid_spans_is_400_with_the_reasons()
    {
        var tenant = NewTenant();
        var request = Request(Resource("svc", NewSpan(Bytes(16, 0)), NewSpan(NewTraceId(), parentSpanId: Bytes(3))));

        using var response = await PostAsync(_host, request.ToByteArray(), Protobuf, tenant);

        var status = await ProtobufError(response, HttpStatusCode.BadRequest);
        Assert.Equal(
            "all 2 spans were rejected: resource_spans[0].scope_spans[0].spans[0]: trace_id is all zero; "
            + "resource_spans[0].scope_spans[0].spans[1]: parent_span_id is 3 bytes, expected 0 (root) or 8",
            status.Message);
        Assert.Empty(Recorder.Appends(tenant));
        await ServesHttpAsync();
    }

    [Fact]
    public async Task An_invalid_tenant_header_is_400_naming_the_header()
    {
        using var response = await PostAsync(_host, OneSpan().ToByteArray(), Protobuf, new string('t', 129));

        var status = await ProtobufError(response, HttpStatusCode.BadRequest);
        Assert.StartsWith("header X-Scope-OrgID: the tenant is 129 characters long, the limit is 128", status.Message);
        await ServesHttpAsync();
    }

    [Fact]
    public async Task With_tokens_a_request_without_its_tenant_token_is_401()
    {
        var tenant = NewTenant();
        await using var host = await GatewayHost.StartAsync(cluster.Grains, GatewayHost.Settings(($"Tokens:{tenant}", "s3cret")));

        using var missing = await PostAsync(host, OneSpan().ToByteArray(), Protobuf, tenant);
        using var wrong = await PostAsync(host, OneSpan().ToByteArray(), Json, tenant, token: "guess");

        Assert.Equal(16, (await ProtobufError(missing, HttpStatusCode.Unauthorized)).Code);
        Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains($"the bearer token is not valid for tenant '{tenant}'", (await JsonError(wrong, HttpStatusCode.Unauthorized)).Message);
        Assert.Empty(Recorder.Appends(tenant));
        await ServesHttpAsync(host, token: "s3cret", tenant: tenant);
    }

    [Fact]
    public async Task Bodies_over_the_limit_are_413_whether_declared_streamed_or_decompressed()
    {
        await using var host = await GatewayHost.StartAsync(cluster.Grains, GatewayHost.Settings(("MaxRequestBytes", 4096)));
        var tenant = NewTenant();
        var span = NewSpan(NewTraceId());
        span.Attributes.Add(Attribute("big", new string('x', 16 * 1024)));
        var big = Request(Resource("svc", span)).ToByteArray();
        var compressed = Gzip(big);
        Assert.True(compressed.Length < 4096);

        using (var declared = await PostAsync(host, big, Protobuf, tenant))
        {
            var status = await ProtobufError(declared, HttpStatusCode.RequestEntityTooLarge);
            Assert.Equal($"the request body is {big.Length} bytes, the limit is 4096 (BeTrace:Gateway:MaxRequestBytes)", status.Message);
        }

        using (var streamed = await PostAsync(host, big, Protobuf, tenant, chunked: true))
        {
            var status = await ProtobufError(streamed, HttpStatusCode.RequestEntityTooLarge);
            Assert.Equal("the request body exceeds the limit of 4096 bytes (BeTrace:Gateway:MaxRequestBytes)", status.Message);
        }

        using (var inflated = await PostAsync(host, compressed, Protobuf, tenant, encoding: "gzip"))
        {
            var status = await ProtobufError(inflated, HttpStatusCode.RequestEntityTooLarge);
            Assert.Equal("the gzip body decompresses to more than the limit of 4096 bytes (BeTrace:Gateway:MaxRequestBytes)", status.Message);
        }

        Assert.Empty(Recorder.Appends(tenant));
        await ServesHttpAsync(host);
    }

    [Fact]
    public async Task Other_methods_are_405_with_allow_post()
    {
        using var response = await _host.Http.GetAsync("/v1/traces");

        var (code, message) = await JsonError(response, HttpStatusCode.MethodNotAllowed);
        Assert.Equal(12, code);
        Assert.Equal("method GET is not allowed on /v1/traces: use POST", message);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        await ServesHttpAsync();
    }

    [Fact]
    public async Task A_failing_trace_grain_is_503_with_retry_after()
    {
        var tenant = NewTenant();
        Recorder.Fail(tenant);

        using var response = await PostAsync(_host, OneSpan().ToByteArray(), Protobuf, tenant);

        var status = await ProtobufError(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(14, status.Code);
        Assert.Contains("InvalidOperationException", status.Message);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        await ServesHttpAsync();
    }

    [Fact]
    public async Task Without_a_free_in_flight_slot_the_request_is_429_with_retry_after()
    {
        await using var host = await GatewayHost.StartAsync(
            cluster.Grains,
            GatewayHost.Settings(("MaxInFlightGroups", 1), ("InFlightWaitTimeout", "00:00:00.200"), ("GrainCallTimeout", "00:05:00"), ("RetryAfterSeconds", 2)));
        var slow = NewTenant();
        var release = Recorder.Block(slow);
        Task<HttpResponseMessage> first;
        try
        {
            first = PostAsync(host, OneSpan().ToByteArray(), Protobuf, slow);
            await Recorder.WaitForAppendsAsync(slow, 1, Assertions.Patience);

            using var refused = await PostAsync(host, Utf8("{}"), Json, NewTenant());
            using var refusedWithSpans = await PostAsync(host, OneSpan().ToByteArray(), Protobuf, NewTenant());

            // An empty request needs no grain call and is answered even under overload.
            await OkJson(refused);
            var status = await ProtobufError(refusedWithSpans, (HttpStatusCode)429);
            Assert.Equal(8, status.Code);
            Assert.StartsWith("gateway overloaded", status.Message);
            Assert.Equal(TimeSpan.FromSeconds(2), refusedWithSpans.Headers.RetryAfter?.Delta);
        }
        finally
        {
            release.SetResult();
        }

        using (var firstResponse = await first)
        {
            Assert.Null((await OkProtobuf(firstResponse)).PartialSuccess);
        }

        await ServesHttpAsync(host);
    }
}
