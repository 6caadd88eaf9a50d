using BeTrace.Gateway.Export;
using BeTrace.Gateway.Otlp.Rpc;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RpcStatus = BeTrace.Gateway.Otlp.Rpc.Status;

namespace BeTrace.Gateway.Receivers;

/// <summary>
/// Export errors as gRPC errors. Retryable ones (RESOURCE_EXHAUSTED, UNAVAILABLE) carry a google.rpc.RetryInfo in the
/// <c>grpc-status-details-bin</c> trailer: OTLP clients retry RESOURCE_EXHAUSTED only when it is there.
/// </summary>
public static class GrpcErrors
{
    public const string StatusDetailsTrailer = "grpc-status-details-bin";

    public static RpcException ToRpcException(ExportError error, int retryAfterSeconds)
    {
        ArgumentNullException.ThrowIfNull(error);
        var code = ExportErrorCodes.GrpcCode(error.Kind);
        var trailers = new Metadata();
        if (error.Retryable)
        {
            var details = new RpcStatus
            {
                Code = (int)code,
                Message = error.Message,
                Details =
                {
                    Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(retryAfterSeconds)) }),
                },
            };
            trailers.Add(StatusDetailsTrailer, details.ToByteArray());
        }

        return new RpcException(new Grpc.Core.Status(code, error.Message), trailers);
    }
}
