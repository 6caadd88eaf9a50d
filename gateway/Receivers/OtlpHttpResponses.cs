using System.Buffers;
using System.Globalization;
using System.Text.Json;
using BeTrace.Gateway.Export;
using BeTrace.Gateway.Otlp.Collector.Trace;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using RpcStatus = BeTrace.Gateway.Otlp.Rpc.Status;

namespace BeTrace.Gateway.Receivers;

/// <summary>
/// OTLP/HTTP answers in the request's encoding: an ExportTraceServiceResponse on success, a google.rpc.Status
/// (<c>code</c> = gRPC code, <c>message</c> = what was wrong) on error — protobuf for protobuf requests, JSON
/// <c>{"code":3,"message":"..."}</c> otherwise (also when the request's Content-Type was not understood).
/// </summary>
internal static class OtlpHttpResponses
{
    public static async Task WriteSuccessAsync(HttpResponse response, OtlpHttpFormat format, ExportTraceServiceResponse message, CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = format.MediaType();
        var body = format == OtlpHttpFormat.Json
            ? System.Text.Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(message))
            : message.ToByteArray();
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }

    public static async Task WriteErrorAsync(HttpResponse response, OtlpHttpFormat? format, ExportError error, int retryAfterSeconds, CancellationToken cancellationToken)
    {
        response.StatusCode = ExportErrorCodes.HttpStatus(error.Kind);
        switch (error.Kind)
        {
            case ExportErrorKind.Overloaded or ExportErrorKind.Unavailable:
                response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                break;
            case ExportErrorKind.Unauthenticated:
                response.Headers.WWWAuthenticate = "Bearer";
                break;
            case ExportErrorKind.MethodNotAllowed:
                response.Headers.Allow = HttpMethods.Post;
                break;
        }

        var code = (int)ExportErrorCodes.GrpcCode(error.Kind);
        byte[] body;
        if (format == OtlpHttpFormat.Protobuf)
        {
            response.ContentType = OtlpHttpFormats.ProtobufMediaType;
            body = new RpcStatus { Code = code, Message = error.Message }.ToByteArray();
        }
        else
        {
            response.ContentType = OtlpHttpFormats.JsonMediaType;
            var json = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(json))
            {
                writer.WriteStartObject();
                writer.WriteNumber("code", code);
                writer.WriteString("message", error.Message);
                writer.WriteEndObject();
            }

            body = json.WrittenSpan.ToArray();
        }

        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }
}
