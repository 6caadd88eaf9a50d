using BeTrace.Gateway.Otlp.Collector.Trace;
using BeTrace.Gateway.Otlp.Trace;
using BeTrace.Gateway.Tests.Support;
using Grpc.Core;
using static BeTrace.Gateway.Tests.Integration.Assertions;
using static BeTrace.Gateway.Tests.Support.TestData;

namespace BeTrace.Gateway.Tests.Integration;

[Collection(GatewayClusterCollection.Name)]
public sealed class GrpcReceiverTests(GatewayClusterFixture cluster) : IAsyncLifetime
{
    private GatewayHost _host = null!;

    private TraceGrainRecorder Recorder => cluster.Recorder;

    public async Task InitializeAsync() => _host = await GatewayHost.StartAsync(cluster.Grains);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Spans_go_to_their_trace_grain_in_one_append_per_trace()
    {
        var tenant = NewTenant();
        var traceA = NewTraceId();
        var traceB = NewTraceId();
        var traceC = NewTraceId();
        var request = Request(
            Resource("frontend", [NewSpan(traceA, name: "a1"), NewSpan(traceB, name: "b1")], [NewSpan(traceA, name: "a2")]),
            Resource("backend", NewSpan(traceC, name: "c1"), NewSpan(traceA, name: "a3"), NewSpan(traceB, name: "b2")));

        var response = await _host.Grpc.ExportAsync(request, Call(tenant));

        Assert.Null(response.PartialSuccess);
        var appends = Recorder.Appends(tenant).OrderBy(a => a.Batch.Spans[0].Name).ToList();
        Assert.Equal([$"{tenant}/{Hex(traceA)}", $"{tenant}/{Hex(traceB)}", $"{tenant}/{Hex(traceC)}"], appends.Select(a => a.GrainKey));
        Assert.Equal(["a1", "a2", "a3"], appends[0].Batch.Spans.Select(s => s.Name));
        Assert.Equal(["b1", "b2"], appends[1].Batch.Spans.Select(s => s.Name));
        Assert.Equal(["c1"], appends[2].Batch.Spans.Select(s => s.Name));
        Assert.Equal("backend", appends[0].Batch.Spans[2].Resource.Attributes.Single().Value.Text);
        Assert.Equal("frontend", appends[0].Batch.Spans[0].Resource.Attributes.Single().Value.Text);
    }

    [Fact]
    public async Task The_tenant_header_routes_to_the_tenant_grain_and_the_default_tenant_is_configurable()
    {
        var defaultTenant = NewTenant();
        await using var host = await GatewayHost.StartAsync(cluster.Grains, GatewayHost.Settings(("DefaultTenant", defaultTenant)));
        var tenant = NewTenant();
        var trace = NewTraceId();

        await host.Grpc.ExportAsync(Request(Resource("svc", NewSpan(trace))), Call(tenant));
        await host.Grpc.ExportAsync(Request(Resource("svc", NewSpan(trace))), Call());

        Assert.Equal($"{tenant}/{Hex(trace)}", Recorder.Appends(tenant).Single().GrainKey);
        Assert.Equal($"{defaultTenant}/{Hex(trace)}", Recorder.Appends(defaultTenant).Single().GrainKey);
    }

    [Fact]
    public async Task A_retried_request_is_accepted_again_and_the_grain_deduplicates()
    {
        var tenant = NewTenant();
        var request = Request(Resource("svc", NewSpan(NewTraceId()), NewSpan(NewTraceId())));

        await _host.Grpc.ExportAsync(request, Call(tenant));
        var retry = await _host.Grpc.ExportAsync(request, Call(tenant));

        Assert.Null(retry.PartialSuccess);
        Assert.Equal(4, Recorder.Appends(tenant).Count);
    }

    [Fact]
    public async Task An_empty_request_succeeds_without_grain_calls()
    {
        var tenant = NewTenant();

        var empty = await _host.Grpc.ExportAsync(new ExportTraceServiceRequest(), Call(tenant));
        var noSpans = await _host.Grpc.ExportAsync(Request(Resource("svc", Array.Empty<Span>())), Call(tenant));

        Assert.Null(empty.PartialSuccess);
        Assert.Null(noSpans.PartialSuccess);
        Assert.Empty(Recorder.Appends(tenant));
    }

    [Fact]
    public async Task Mixed_valid_and_invalid_spans_give_partial_success_with_exact_counts()
    {
        var tenant = NewTenant();
        var trace = NewTraceId();
        var request = Request(
            Resource("svc", NewSpan(trace), NewSpan(Bytes(4)), NewSpan(trace, spanId: Bytes(8, 0))),
            Resource("other", NewSpan(NewTraceId()), NewSpan(Bytes(16, 0))));

        var response = await _host.Grpc.ExportAsync(request, Call(tenant));

        Assert.Equal(3, response.PartialSuccess.RejectedSpans);
        Assert.Equal(
            "3 of 5 spans were rejected: resource_spans[0].scope_spans[0].spans[1]: trace_id is 4 bytes, expected 16; "
            + "resource_spans[0].scope_spans[0].spans[2]: span_id is all zero; resource_spans[1].scope_spans[0].spans[1]: trace_id is all zero",
            response.PartialSuccess.ErrorMessage);
        Assert.Equal(2, Recorder.Appends(tenant).Count);
        Assert.Equal(2, Recorder.Appends(tenant).Sum(a => a.Batch.Spans.Length));
    }

    [Fact]
    public async Task Spans_dropped_by_a_full_trace_are_reported_as_partial_success()
    {
        var tenant = NewTenant();
        Recorder.DropAll(tenant);

        var response = await _host.Grpc.ExportAsync(Request(Resource("svc", NewSpan(NewTraceId()), NewSpan(NewTraceId()))), Call(tenant));

        Assert.Equal(2, response.PartialSuccess.RejectedSpans);
        Assert.Contains("2 spans were dropped because their trace reached its span or size cap", response.PartialSuccess.ErrorMessage);
    }

    [Fact]
    public async Task A_request_of_only_invalid_spans_is_invalid_argument_with_the_reasons()
    {
        var tenant = NewTenant();
        var request = Request(Resource("svc", NewSpan(Bytes(4)), NewSpan(NewTraceId(), spanId: Bytes(7)), NewSpan(NewTraceId(), attributes: 129)));

        var ex = await GrpcFails(_host.Grpc.ExportAsync(request, Call(tenant)).ResponseAsync, StatusCode.InvalidArgument);

        Assert.Equal(
            "all 3 spans were rejected: resource_spans[0].scope_spans[0].spans[0]: trace_id is 4 bytes, expected 16; "
            + "resource_spans[0].scope_spans[0].spans[1]: span_id is 7 bytes, expected 8; "
            + "resource_spans[0].scope_spans[0].spans[2]: span has 129 attributes, the limit is 128",
            ex.Status.Detail);
        Assert.Null(RetryDelay(ex));
        Assert.Empty(Recorder.Appends(tenant));
        await ServesGrpcAsync(_host, Recorder);
    }

    [Fact]
    public async Task A_message_that_is_not_protobuf_is_invalid_argument_saying_so()
    {
        var raw = Marshallers.Create<byte[]>(bytes => bytes, bytes => bytes);
        var export = new Method<byte[], byte[]>(MethodType.Unary, "opentelemetry.proto.collector.trace.v1.TraceService", "Export", raw, raw);

        var ex = await GrpcFails(
            _host.Channel.CreateCallInvoker().AsyncUnaryCall(export, null, Call(NewTenant()), [0x0A, 0x05, 0x01]).ResponseAsync,
            StatusCode.InvalidArgument);

        Assert.StartsWith("the message is not a valid protobuf ExportTraceServiceRequest: ", ex.Status.Detail);
        await ServesGrpcAsync(_host, Recorder);
    }

    [Fact]
    public async Task An_invalid_tenant_header_is_invalid_argument_naming_the_header()
    {
        var ex = await GrpcFails(_host.Grpc.ExportAsync(OneSpan(), Call("acme/evil")).ResponseAsync, StatusCode.InvalidArgument);

        Assert.StartsWith("header X-Scope-OrgID: the tenant 'acme/evil' contains '/'", ex.Status.Detail);
        await ServesGrpcAsync(_host, Recorder);
    }

    [Fact]
    public async Task Too_many_spans_in_one_request_is_invalid_argument()
    {
        await using var host = await GatewayHost.StartAsync(cluster.Grains, GatewayHost.Settings(("MaxSpansPerRequest", 2)));
        var tenant = NewTenant();
        var trace = NewTraceId();

        var ex = await GrpcFails(
            host.Grpc.ExportAsync(Request(Resource("svc", NewSpan(trace), NewSpan(trace), NewSpan(trace))), Call(tenant)).ResponseAsync,
            StatusCode.InvalidArgument);

        Assert.Equal("the request has 3 spans, the limit is 2: send smaller batches", ex.Status.Detail);
        Assert.Empty(Recorder.Appends(tenant));
        await ServesGrpcAsync(host, Recorder);
    }

    [Fact]
    public async Task An_oversized_message_is_resource_exhausted_without_retry_info()
    {
        await using var host = await GatewayHost.StartAsync(cluster.Grains, GatewayHost.Settings(("MaxRequestBytes", 2048)));
        var tenant = NewTenant();
        var span = NewSpan(NewTraceId());
        span.Attributes.Add(Attribute("big", new string('x', 4096)));

        var ex = await GrpcFails(host.Grpc.ExportAsync(Request(Resource("svc", span)), Call(tenant)).ResponseAsync, StatusCode.ResourceExhausted);

        Assert.Null(RetryDelay(ex));
        Assert.Empty(Recorder.Appends(tenant));
        await ServesGrpcAsync(host, Recorder);
    }

    [Fact]
    public async Task A_gzip_compressed_call_is_accepted()
    {
        var tenant = NewTenant();
        var options = Call(tenant);
        options.Headers!.Add("grpc-internal-encoding-request", "gzip");

        var response = await _host.Grpc.ExportAsync(Request(Resource("svc", NewSpan(NewTraceId(), attributes: 50))), options);

        Assert.Null(response.PartialSuccess);
        Assert.Equal(50, Recorder.Appends(tenant).Single().Batch.Spans.Single().Attributes.Length);
    }

    [Fact]
    public async Task A_failing_trace_grain_is_unavailable_with_retry_info()
    {
        var tenant = NewTenant();
        Recorder.Fail(tenant);

        var ex = await GrpcFails(_host.Grpc.ExportAsync(OneSpan(), Call(tenant)).ResponseAsync, StatusCode.Unavailable);

        Assert.StartsWith("1 of 1 trace grain calls failed (first: trace ", ex.Status.Detail);
        Assert.Contains("InvalidOperationException", ex.Status.Detail);
        Assert.Equal(TimeSpan.FromSeconds(1), RetryDelay(ex));
        await ServesGrpcAsync(_host, Recorder);
    }

    [Fact]
    public async Task A_trace_grain_that_does_not_answer_in_time_is_unavailable()
    {
        await using var host = await GatewayHost.StartAsync(cluster.Grains, GatewayHost.Settings(("GrainCallTimeout", "00:00:00.300")));
        var tenant = NewTenant();
        var release = Recorder.Block(tenant);
        try
        {
            var ex = await GrpcFails(host.Grpc.ExportAsync(OneSpan(), Call(tenant)).ResponseAsync, StatusCode.Unavailable);

            Assert.Contains("no answer within 300 ms", ex.Status.Detail);
            Assert.NotNull(RetryDelay(ex));
        }
        finally
        {
            release.SetResult();
        }

        await ServesGrpcAsync(host, Recorder);
    }

    [Fact]
    public async Task Without_a_free_in_flight_slot_the_call_is_resource_exhausted_with_retry_info()
    {
        await using var host = await GatewayHost.StartAsync(
            cluster.Grains,
            GatewayHost.Settings(("MaxInFlightGroups", 1), ("InFlightWaitTimeout", "00:00:00.200"), ("GrainCallTimeout", "00:05:00"), ("RetryAfterSeconds", 3)));
        var slow = NewTenant();
        var release = Recorder.Block(slow);
        Task<ExportTraceServiceResponse> first;
        try
        {
            first = host.Grpc.ExportAsync(OneSpan(), Call(slow)).ResponseAsync;
            await Recorder.WaitForAppendsAsync(slow, 1, Patience);

            var ex = await GrpcFails(host.Grpc.ExportAsync(OneSpan(), Call(NewTenant())).ResponseAsync, StatusCode.ResourceExhausted);

            Assert.StartsWith("gateway overloaded: all 1 in-flight trace grain calls stayed busy for 200 ms; retry after 3 s", ex.Status.Detail);
            Assert.Equal(TimeSpan.FromSeconds(3), RetryDelay(ex));
        }
        finally
        {
            release.SetResult();
        }

        Assert.Null((await first).PartialSuccess);
        await ServesGrpcAsync(host, Recorder);
    }

    [Fact]
    public async Task With_tokens_a_call_needs_its_tenant_bearer_token()
    {
        var tenant = NewTenant();
        var other = NewTenant();
        await using var host = await GatewayHost.StartAsync(
            cluster.Grains,
            GatewayHost.Settings(($"Tokens:{tenant}", "secret-1"), ($"Tokens:{other}", "secret-2")));

        var missing = await GrpcFails(host.Grpc.ExportAsync(OneSpan(), Call(tenant)).ResponseAsync, StatusCode.Unauthenticated);
        var wrong = await GrpcFails(host.Grpc.ExportAsync(OneSpan(), Call(tenant, "secret-2")).ResponseAsync, StatusCode.Unauthenticated);
        var noTenant = await GrpcFails(host.Grpc.ExportAsync(OneSpan(), Call(null, "secret-1")).ResponseAsync, StatusCode.Unauthenticated);

        Assert.Contains("missing Authorization", missing.Status.Detail);
        Assert.Contains($"not valid for tenant '{tenant}'", wrong.Status.Detail);
        Assert.Contains("tenant 'default' has no token", noTenant.Status.Detail);
        Assert.Empty(Recorder.Appends(tenant));
        Assert.Null((await host.Grpc.ExportAsync(OneSpan(), Call(tenant, "secret-1"))).PartialSuccess);
        Assert.Single(Recorder.Appends(tenant));
    }
}
