using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using BeTrace.Gateway.Otlp.Collector.Trace;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace BeTrace.Bench.Load;

/// <summary>The answer to one export request.</summary>
internal readonly record struct SendResult(bool Ok, long RejectedSpans, string? Error)
{
    public static SendResult Accepted(ExportTraceServiceResponse? response) =>
        new(true, response?.PartialSuccess?.RejectedSpans ?? 0, response?.PartialSuccess?.ErrorMessage is { Length: > 0 } m ? m : null);

    public static SendResult Rejected(string error) => new(false, 0, error);
}

/// <summary>
/// Sends already-serialized <c>ExportTraceServiceRequest</c> bytes: over OTLP/gRPC (TraceService/Export with a
/// pass-through marshaller, so the generator does not serialize per send) or OTLP/HTTP (<c>POST /v1/traces</c>,
/// <c>application/x-protobuf</c>).
/// </summary>
internal sealed class OtlpSender : IDisposable
{
    private static readonly Method<RequestBody, ExportTraceServiceResponse> ExportMethod = new(
        MethodType.Unary,
        "opentelemetry.proto.collector.trace.v1.TraceService",
        "Export",
        Marshallers.Create<RequestBody>(
            (body, context) =>
            {
                context.SetPayloadLength(body.Bytes.Count);
                var writer = context.GetBufferWriter();
                writer.Write(body.Bytes.AsSpan());
                context.Complete();
            },
            _ => throw new NotSupportedException("requests are only sent")),
        Marshallers.Create<ExportTraceServiceResponse>(
            (response, context) => context.Complete(response.ToByteArray()),
            context => ExportTraceServiceResponse.Parser.ParseFrom(context.PayloadAsReadOnlySequence())));

    /// <summary>The serialized request (gRPC wants a reference type).</summary>
    private sealed record RequestBody(ArraySegment<byte> Bytes);

    private readonly SendProtocol _protocol;
    private readonly GrpcChannel? _channel;
    private readonly CallInvoker? _invoker;
    private readonly HttpClient? _http;
    private readonly Uri? _httpUrl;
    private readonly Metadata _headers = [];
    private readonly string? _tenant;

    public OtlpSender(SendProtocol protocol, Uri grpcEndpoint, Uri httpBase, string tenant, int concurrency)
    {
        ArgumentNullException.ThrowIfNull(grpcEndpoint);
        ArgumentNullException.ThrowIfNull(httpBase);
        _protocol = protocol;
        _tenant = tenant == "default" ? null : tenant;
        if (_tenant is not null)
        {
            _headers.Add("x-scope-orgid", _tenant);
        }
        if (protocol == SendProtocol.Grpc)
        {
            _channel = GrpcChannel.ForAddress(grpcEndpoint, new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) },
                MaxReceiveMessageSize = 16 * 1024 * 1024,
                MaxSendMessageSize = 64 * 1024 * 1024,
            });
            _invoker = _channel.CreateCallInvoker();
        }
        else
        {
            _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
            {
                Timeout = TimeSpan.FromSeconds(30),
            };
            _httpUrl = new Uri(httpBase, "v1/traces");
        }
    }

    public async Task<SendResult> SendAsync(ArraySegment<byte> body, CancellationToken cancellationToken)
    {
        if (_protocol == SendProtocol.Grpc)
        {
            try
            {
                var options = new CallOptions(headers: _headers, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken);
                var response = await _invoker!.AsyncUnaryCall(ExportMethod, null, options, new RequestBody(body)).ResponseAsync.ConfigureAwait(false);
                return SendResult.Accepted(response);
            }
            catch (RpcException ex)
            {
                return SendResult.Rejected($"gRPC {ex.StatusCode}");
            }
        }

        try
        {
            using var content = new ByteArrayContent(body.Array!, body.Offset, body.Count);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            using var request = new HttpRequestMessage(HttpMethod.Post, _httpUrl) { Content = content };
            if (_tenant is not null)
            {
                request.Headers.Add("X-Scope-OrgID", _tenant);
            }
            using var response = await _http!.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return SendResult.Rejected($"HTTP {(int)response.StatusCode}");
            }
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return SendResult.Accepted(bytes.Length == 0 ? null : ExportTraceServiceResponse.Parser.ParseFrom(bytes));
        }
        catch (HttpRequestException ex)
        {
            return SendResult.Rejected($"HTTP error {ex.HttpRequestError}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SendResult.Rejected("HTTP timeout");
        }
    }

    public void Dispose()
    {
        _channel?.Dispose();
        _http?.Dispose();
    }
}
