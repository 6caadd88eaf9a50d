using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using BeTrace.Gateway.Otlp.Collector.Trace;
using BeTrace.Gateway.Otlp.Common;
using BeTrace.Gateway.Otlp.Trace;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OtlpResource = BeTrace.Gateway.Otlp.Resource.Resource;

namespace BeTrace.Testing;

/// <summary>
/// A real OTLP trace receiver for tests: Kestrel on 127.0.0.1 with OTLP/gRPC (HTTP/2 cleartext,
/// <c>opentelemetry.proto.collector.trace.v1.TraceService/Export</c>) on one port and OTLP/HTTP
/// (<c>POST /v1/traces</c>, <c>application/x-protobuf</c>, gzip accepted) on another, both built on the gateway's own
/// protos. Every received span is recorded with its resource, scope and protocol.
/// </summary>
public sealed class TestOtlpReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ExportTraceServiceRequest> _requests = new();
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private WebApplication? _app;
    private int _failRemaining;
    private int _failedRequests;

    private TestOtlpReceiver()
    {
    }

    public const string GrpcProtocol = "grpc";
    public const string HttpProtocol = "http/protobuf";

    public int GrpcPort { get; private set; }

    public int HttpPort { get; private set; }

    /// <summary>Base URL of the OTLP/gRPC listener.</summary>
    public Uri GrpcEndpoint => new($"http://127.0.0.1:{GrpcPort}");

    /// <summary>Base URL of the OTLP/HTTP listener (the exporter appends /v1/traces).</summary>
    public Uri HttpEndpoint => new($"http://127.0.0.1:{HttpPort}");

    /// <summary>Accepted export requests, in arrival order.</summary>
    public IReadOnlyList<ExportTraceServiceRequest> Requests => [.. _requests];

    /// <summary>Every span of every accepted request, in arrival order.</summary>
    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    /// <summary>Requests answered with a retryable failure (gRPC UNAVAILABLE, HTTP 503) so far.</summary>
    public int FailedRequests => Volatile.Read(ref _failedRequests);

    /// <summary>Optional answer for accepted requests (e.g. a partial success); default: an empty response.</summary>
    public Func<ExportTraceServiceRequest, ExportTraceServiceResponse>? Responder { get; set; }

    /// <summary>
    /// Starts the receiver. A port of 0 picks a free one; a given port lets a test start the receiver where an
    /// exporter has been failing to connect.
    /// </summary>
    public static async Task<TestOtlpReceiver> StartAsync(int grpcPort = 0, int httpPort = 0)
    {
        var receiver = new TestOtlpReceiver();
        await receiver.StartCoreAsync(grpcPort, httpPort).ConfigureAwait(false);
        return receiver;
    }

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago (for "endpoint down, then up" tests).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The next <paramref name="count"/> requests (either protocol) fail with a retryable status.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failRemaining, count);

    /// <summary>Polls until <paramref name="condition"/> holds for the received spans, or fails after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<ReceivedSpan>> WaitForSpansAsync(
        Func<IReadOnlyList<ReceivedSpan>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var spans = Spans;
            if (condition(spans))
            {
                return spans;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException(
                    $"The OTLP receiver did not get the expected spans within {timeout}; it has {spans.Count}.");
            }

            await Task.Delay(25).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for a span satisfying <paramref name="match"/>.</summary>
    public async Task<ReceivedSpan> WaitForSpanAsync(Func<ReceivedSpan, bool> match, TimeSpan timeout)
    {
        var spans = await WaitForSpansAsync(all => all.Any(match), timeout).ConfigureAwait(false);
        return spans.First(match);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
    }

    private async Task StartCoreAsync(int grpcPort, int httpPort)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ListenOptions? grpcListen = null;
        ListenOptions? httpListen = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, grpcPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                grpcListen = listen;
            });
            kestrel.Listen(IPAddress.Loopback, httpPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                httpListen = listen;
            });
        });
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(this);

        var app = builder.Build();
        app.MapGrpcService<TraceServiceEndpoint>();
        app.MapPost("/v1/traces", HandleHttpAsync);
        await app.StartAsync().ConfigureAwait(false);
        _app = app;

        // Kestrel writes the bound port back into the listen options (relevant for port 0).
        GrpcPort = grpcListen!.IPEndPoint!.Port;
        HttpPort = httpListen!.IPEndPoint!.Port;
    }

    private bool ShouldFail()
    {
        while (true)
        {
            var remaining = Volatile.Read(ref _failRemaining);
            if (remaining <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _failRemaining, remaining - 1, remaining) == remaining)
            {
                Interlocked.Increment(ref _failedRequests);
                return true;
            }
        }
    }

    private ExportTraceServiceResponse Accept(ExportTraceServiceRequest request, string protocol)
    {
        _requests.Enqueue(request);
        foreach (var resourceSpans in request.ResourceSpans)
        {
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                foreach (var span in scopeSpans.Spans)
                {
                    _spans.Enqueue(new ReceivedSpan(protocol, resourceSpans.Resource, scopeSpans.Scope, span));
                }
            }
        }

        return Responder?.Invoke(request) ?? new ExportTraceServiceResponse();
    }

    private async Task HandleHttpAsync(HttpContext context)
    {
        if (ShouldFail())
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            return;
        }

        var contentType = context.Request.ContentType ?? string.Empty;
        if (!contentType.StartsWith("application/x-protobuf", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        Stream body = context.Request.Body;
        if (string.Equals(context.Request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase))
        {
            body = new GZipStream(body, CompressionMode.Decompress);
        }

        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        ExportTraceServiceRequest request;
        try
        {
            request = ExportTraceServiceRequest.Parser.ParseFrom(buffer.ToArray());
        }
        catch (InvalidProtocolBufferException)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var response = Accept(request, HttpProtocol);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-protobuf";
        await context.Response.Body.WriteAsync(response.ToByteArray(), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The gRPC service: the TraceService base generated from the gateway's trace_service.proto.</summary>
    private sealed class TraceServiceEndpoint(TestOtlpReceiver receiver) : TraceService.TraceServiceBase
    {
        public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
        {
            if (receiver.ShouldFail())
            {
                throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "test receiver: failing on purpose"));
            }

            return Task.FromResult(receiver.Accept(request, GrpcProtocol));
        }
    }
}

/// <summary>One received span with the resource and scope it came with.</summary>
public sealed record ReceivedSpan(string Protocol, OtlpResource? Resource, InstrumentationScope? Scope, Span Span)
{
    public string TraceId => Convert.ToHexStringLower(Span.TraceId.Span);

    public string SpanId => Convert.ToHexStringLower(Span.SpanId.Span);

    /// <summary>Empty for a root span.</summary>
    public string ParentSpanId => Convert.ToHexStringLower(Span.ParentSpanId.Span);

    public IReadOnlyDictionary<string, AnyValue> Attributes =>
        Span.Attributes.ToDictionary(attribute => attribute.Key, attribute => attribute.Value, StringComparer.Ordinal);

    /// <summary>String attributes only, as the signature check wants them.</summary>
    public IReadOnlyDictionary<string, string> StringAttributes =>
        Span.Attributes
            .Where(attribute => attribute.Value?.ValueCase == AnyValue.ValueOneofCase.StringValue)
            .ToDictionary(attribute => attribute.Key, attribute => attribute.Value.StringValue, StringComparer.Ordinal);

    public string? ResourceAttribute(string key) =>
        Resource?.Attributes.FirstOrDefault(attribute => attribute.Key == key)?.Value?.StringValue;
}
