using BeTrace.Gateway.Export;
using BeTrace.Gateway.Metrics;
using BeTrace.Gateway.Otlp.Collector.Trace;
using BeTrace.Gateway.Tenancy;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace BeTrace.Gateway.Receivers;

/// <summary>
/// OTLP/gRPC: the implementation of the generated <c>opentelemetry.proto.collector.trace.v1.TraceService/Export</c>.
/// The tenant and bearer token come from the call's metadata (HTTP/2 headers). Message size (MaxRequestBytes) and
/// gzip are handled by Grpc.AspNetCore. Served through <see cref="OtlpGrpcEndpoint"/> (see there why).
/// </summary>
public sealed class OtlpGrpcTraceService : TraceService.TraceServiceBase
{
    private readonly TenantResolver _tenants;
    private readonly TraceExportPipeline _pipeline;
    private readonly GatewayMetrics _metrics;
    private readonly int _retryAfterSeconds;

    public OtlpGrpcTraceService(TenantResolver tenants, TraceExportPipeline pipeline, GatewayMetrics metrics, IOptions<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _tenants = tenants;
        _pipeline = pipeline;
        _metrics = metrics;
        _retryAfterSeconds = options.Value.RetryAfterSeconds;
    }

    public override async Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var resolution = _tenants.Resolve(context.GetHttpContext().Request.Headers);
        if (resolution.Error is { } refused)
        {
            _metrics.Request(GatewayProtocol.Grpc, refused);
            throw GrpcErrors.ToRpcException(refused, _retryAfterSeconds);
        }

        ExportOutcome outcome;
        try
        {
            outcome = await _pipeline.ExportAsync(request, resolution.Tenant!, GatewayProtocol.Grpc, null, context.CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            _metrics.Request(GatewayProtocol.Grpc, RequestOutcome.Cancelled);
            throw new RpcException(new Grpc.Core.Status(StatusCode.Cancelled, "the client cancelled the call"));
        }

        _metrics.Request(GatewayProtocol.Grpc, outcome.MetricOutcome);
        if (outcome.Error is { } error)
        {
            throw GrpcErrors.ToRpcException(error, _retryAfterSeconds);
        }

        return outcome.Response!;
    }
}
