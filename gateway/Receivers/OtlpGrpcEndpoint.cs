using BeTrace.Gateway.Otlp.Collector.Trace;
using Grpc.Core;

namespace BeTrace.Gateway.Receivers;

/// <summary>
/// The type <c>MapBeTraceOtlp</c> maps for OTLP/gRPC. It forwards to <see cref="OtlpGrpcTraceService"/> (the
/// implementation of the generated TraceService). It exists because the generated base class binds its method with
/// the generated marshaller, and Grpc.AspNetCore answers a message that marshaller cannot parse with UNKNOWN
/// "Exception was thrown by handler." <see cref="OtlpGrpcMethodProvider"/> binds the same method
/// (<c>/opentelemetry.proto.collector.trace.v1.TraceService/Export</c>) with a marshaller that answers
/// INVALID_ARGUMENT and says what is wrong.
/// </summary>
public sealed class OtlpGrpcEndpoint(OtlpGrpcTraceService service)
{
    public Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context) =>
        service.Export(request, context);
}
