using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using BeTrace.Gateway.Otlp.Collector.Trace;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BeTrace.Bench.Load;

/// <summary>
/// The generator's own OTLP trace receiver, where the silo exports its violation spans
/// (OTEL_EXPORTER_OTLP_ENDPOINT): Kestrel on 127.0.0.1, OTLP/gRPC (h2c) on one port and OTLP/HTTP
/// (<c>POST /v1/traces</c>, <c>application/x-protobuf</c>, gzip accepted) on another. Every <c>betrace.violation</c>
/// span is handed to the <see cref="DetectionTracker"/> with its trace id, its <c>betrace.violation.rule_id</c> and
/// the arrival time (taken when the request is handled, before parsing its spans).
/// </summary>
internal sealed class ViolationReceiver : IAsyncDisposable
{
    public const string ViolationSpanName = "betrace.violation";
    public const string RuleIdAttribute = "betrace.violation.rule_id";

    private readonly DetectionTracker _tracker;
    private WebApplication? _app;
    private long _requests;
    private long _spans;

    private ViolationReceiver(DetectionTracker tracker) => _tracker = tracker;

    public int GrpcPort { get; private set; }

    public int HttpPort { get; private set; }

    public Uri GrpcEndpoint => new($"http://127.0.0.1:{GrpcPort}");

    public Uri HttpEndpoint => new($"http://127.0.0.1:{HttpPort}");

    public long Requests => Interlocked.Read(ref _requests);

    public long Spans => Interlocked.Read(ref _spans);

    public static async Task<ViolationReceiver> StartAsync(DetectionTracker tracker, int grpcPort, int httpPort)
    {
        var receiver = new ViolationReceiver(tracker);
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
        builder.Services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = 64 * 1024 * 1024);
        builder.Services.AddSingleton(receiver);
        var app = builder.Build();
        app.MapGrpcService<TraceServiceEndpoint>();
        app.MapPost("/v1/traces", receiver.HandleHttpAsync);
        await app.StartAsync().ConfigureAwait(false);
        receiver._app = app;
        receiver.GrpcPort = grpcListen!.IPEndPoint!.Port;
        receiver.HttpPort = httpListen!.IPEndPoint!.Port;
        return receiver;
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

    /// <summary>Records the violation spans of one received request.</summary>
    internal void Accept(ExportTraceServiceRequest request, long arrival)
    {
        Interlocked.Increment(ref _requests);
        foreach (var resourceSpans in request.ResourceSpans)
        {
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                foreach (var span in scopeSpans.Spans)
                {
                    Interlocked.Increment(ref _spans);
                    if (span.Name != ViolationSpanName || span.TraceId.Length != 16)
                    {
                        continue;
                    }
                    string? ruleId = null;
                    foreach (var attribute in span.Attributes)
                    {
                        if (attribute.Key == RuleIdAttribute)
                        {
                            ruleId = attribute.Value?.StringValue;
                            break;
                        }
                    }
                    _tracker.OnViolation(BinaryPrimitives.ReadUInt128BigEndian(span.TraceId.Span), ruleId, arrival);
                }
            }
        }
    }

    private async Task HandleHttpAsync(HttpContext context)
    {
        var arrival = Stopwatch.GetTimestamp();
        if (!(context.Request.ContentType ?? "").StartsWith("application/x-protobuf", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        var body = context.Request.Body;
        if (string.Equals(context.Request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase))
        {
            body = new GZipStream(body, CompressionMode.Decompress);
        }
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        ExportTraceServiceRequest request;
        try
        {
            request = ExportTraceServiceRequest.Parser.ParseFrom(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        catch (InvalidProtocolBufferException)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        Accept(request, arrival);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-protobuf";
        await context.Response.Body.WriteAsync(new ExportTraceServiceResponse().ToByteArray(), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The gRPC side: the TraceService base generated from the gateway's trace_service.proto.</summary>
    private sealed class TraceServiceEndpoint(ViolationReceiver receiver) : TraceService.TraceServiceBase
    {
        public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
        {
            // The message is already parsed when this runs; the parse of a violation batch takes microseconds.
            receiver.Accept(request, Stopwatch.GetTimestamp());
            return Task.FromResult(new ExportTraceServiceResponse());
        }
    }
}
