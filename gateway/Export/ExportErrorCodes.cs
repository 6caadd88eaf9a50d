using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace BeTrace.Gateway.Export;

/// <summary>The gRPC code and HTTP status of each export error (docs/ingest.md has the table).</summary>
public static class ExportErrorCodes
{
    /// <summary>The gRPC status code; also the <c>code</c> of the google.rpc.Status body of an HTTP error.</summary>
    public static StatusCode GrpcCode(ExportErrorKind kind) => kind switch
    {
        ExportErrorKind.InvalidArgument => StatusCode.InvalidArgument,
        ExportErrorKind.Unauthenticated => StatusCode.Unauthenticated,
        ExportErrorKind.PayloadTooLarge => StatusCode.InvalidArgument,
        ExportErrorKind.UnsupportedMediaType => StatusCode.InvalidArgument,
        ExportErrorKind.MethodNotAllowed => StatusCode.Unimplemented,
        ExportErrorKind.Overloaded => StatusCode.ResourceExhausted,
        _ => StatusCode.Unavailable,
    };

    public static int HttpStatus(ExportErrorKind kind) => kind switch
    {
        ExportErrorKind.InvalidArgument => StatusCodes.Status400BadRequest,
        ExportErrorKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        ExportErrorKind.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ExportErrorKind.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ExportErrorKind.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        ExportErrorKind.Overloaded => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status503ServiceUnavailable,
    };
}
