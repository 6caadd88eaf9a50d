using BeTrace.Gateway.Metrics;
using BeTrace.Gateway.Otlp.Collector.Trace;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace BeTrace.Gateway.Receivers;

/// <summary>
/// Binds <c>TraceService/Export</c> (names from the generated service descriptor) on <see cref="OtlpGrpcEndpoint"/>
/// with marshallers of the generated messages. A request that is not a valid protobuf ExportTraceServiceRequest
/// is refused with INVALID_ARGUMENT.
/// </summary>
public sealed class OtlpGrpcMethodProvider : IServiceMethodProvider<OtlpGrpcEndpoint>
{
    private const string MethodName = "Export";

    private readonly GatewayMetrics _metrics;

    public OtlpGrpcMethodProvider(GatewayMetrics metrics) => _metrics = metrics;

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<OtlpGrpcEndpoint> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var method = new Method<ExportTraceServiceRequest, ExportTraceServiceResponse>(
            MethodType.Unary,
            TraceService.Descriptor.FullName,
            TraceService.Descriptor.FindMethodByName(MethodName).Name,
            Marshallers.Create<ExportTraceServiceRequest>(Serialize, DeserializeRequest),
            Marshallers.Create<ExportTraceServiceResponse>(Serialize, _ => throw new NotSupportedException("the server does not read responses")));
        context.AddUnaryMethod(method, [], (endpoint, request, callContext) => endpoint.Export(request, callContext));
    }

    private ExportTraceServiceRequest DeserializeRequest(DeserializationContext context)
    {
        try
        {
            return ExportTraceServiceRequest.Parser.ParseFrom(context.PayloadAsReadOnlySequence());
        }
        catch (InvalidProtocolBufferException ex)
        {
            _metrics.Request(GatewayProtocol.Grpc, RequestOutcome.InvalidArgument);
            throw new RpcException(new Grpc.Core.Status(
                StatusCode.InvalidArgument, $"the message is not a valid protobuf ExportTraceServiceRequest: {ex.Message}"));
        }
    }

    private static void Serialize(IMessage message, SerializationContext context)
    {
        context.SetPayloadLength(message.CalculateSize());
        message.WriteTo(context.GetBufferWriter());
        context.Complete();
    }
}
