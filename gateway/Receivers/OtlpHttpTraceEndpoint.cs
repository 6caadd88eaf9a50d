using BeTrace.Gateway.Conversion;
using BeTrace.Gateway.Export;
using BeTrace.Gateway.Json;
using BeTrace.Gateway.Metrics;
using BeTrace.Gateway.Otlp.Collector.Trace;
using BeTrace.Gateway.Tenancy;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace BeTrace.Gateway.Receivers;

/// <summary>
/// OTLP/HTTP: <c>POST /v1/traces</c> with <c>application/x-protobuf</c> or <c>application/json</c>, optionally
/// <c>Content-Encoding: gzip</c>. The tenant and token are checked before the body is read; the body is read up to
/// MaxRequestBytes and never further.
/// </summary>
public sealed class OtlpHttpTraceEndpoint
{
    public const string Path = "/v1/traces";

    private readonly TenantResolver _tenants;
    private readonly TraceExportPipeline _pipeline;
    private readonly GatewayMetrics _metrics;
    private readonly int _maxRequestBytes;
    private readonly int _retryAfterSeconds;

    public OtlpHttpTraceEndpoint(TenantResolver tenants, TraceExportPipeline pipeline, GatewayMetrics metrics, IOptions<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _tenants = tenants;
        _pipeline = pipeline;
        _metrics = metrics;
        _maxRequestBytes = options.Value.MaxRequestBytes;
        _retryAfterSeconds = options.Value.RetryAfterSeconds;
    }

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var aborted = context.RequestAborted;
        var format = OtlpHttpFormats.Parse(request.ContentType);
        var protocol = format switch
        {
            OtlpHttpFormat.Json => GatewayProtocol.HttpJson,
            OtlpHttpFormat.Protobuf => GatewayProtocol.HttpProtobuf,
            _ => GatewayProtocol.Http,
        };

        try
        {
            var outcome = await ExportAsync(request, format, protocol, aborted).ConfigureAwait(false);
            _metrics.Request(protocol, outcome.MetricOutcome);
            if (outcome.Error is { } error)
            {
                await OtlpHttpResponses.WriteErrorAsync(context.Response, format, error, _retryAfterSeconds, aborted).ConfigureAwait(false);
            }
            else
            {
                await OtlpHttpResponses.WriteSuccessAsync(context.Response, format!.Value, outcome.Response!, aborted).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (aborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // The client went away; there is nobody to answer.
            _metrics.Request(protocol, RequestOutcome.Cancelled);
        }
    }

    private async Task<ExportOutcome> ExportAsync(HttpRequest request, OtlpHttpFormat? format, string protocol, CancellationToken aborted)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            return ExportOutcome.Refused(ExportErrorKind.MethodNotAllowed, $"method {request.Method} is not allowed on {Path}: use POST");
        }

        if (format is null)
        {
            return ExportOutcome.Refused(
                ExportErrorKind.UnsupportedMediaType,
                $"Content-Type '{request.ContentType}' is not supported: use {OtlpHttpFormats.ProtobufMediaType} or {OtlpHttpFormats.JsonMediaType}");
        }

        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return ExportOutcome.Refused(ExportErrorKind.UnsupportedMediaType, $"Content-Encoding '{encoding}' is not supported: use gzip or none");
        }

        var resolution = _tenants.Resolve(request.Headers);
        if (resolution.Error is { } refused)
        {
            return ExportOutcome.Refused(refused);
        }

        PooledBuffer? body;
        ExportError? bodyError;
        try
        {
            (body, bodyError) = await RequestBodyReader.ReadAsync(request, _maxRequestBytes, gzip, aborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel enforces the per-request limit the reader set (and sees the excess before the reader does).
            return ExportOutcome.Refused(RequestBodyReader.TooLarge($"the request body exceeds the limit of {_maxRequestBytes} bytes"));
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's other checks while reading (a truncated body, a bad chunk...).
            return ExportOutcome.Refused(ExportErrorKind.InvalidArgument, $"the request body could not be read: {ex.Message}");
        }

        if (bodyError is not null)
        {
            return ExportOutcome.Refused(bodyError);
        }

        ExportTraceServiceRequest message;
        SpanDecodeErrors? decodeErrors = null;
        using (body)
        {
            if (format == OtlpHttpFormat.Json)
            {
                try
                {
                    (message, decodeErrors) = OtlpJsonReader.Read(body!.Span);
                }
                catch (OtlpJsonException ex)
                {
                    return ExportOutcome.Refused(ExportErrorKind.InvalidArgument, $"the body is not a valid OTLP/JSON ExportTraceServiceRequest: {ex.Message}");
                }
            }
            else
            {
                try
                {
                    message = ExportTraceServiceRequest.Parser.ParseFrom(body!.Span);
                }
                catch (InvalidProtocolBufferException ex)
                {
                    return ExportOutcome.Refused(ExportErrorKind.InvalidArgument, $"the body is not a valid protobuf ExportTraceServiceRequest: {ex.Message}");
                }
            }
        }

        return await _pipeline.ExportAsync(message, resolution.Tenant!, protocol, decodeErrors, aborted).ConfigureAwait(false);
    }
}
