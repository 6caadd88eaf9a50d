using BeTrace.Gateway.Receivers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BeTrace.Gateway.Hosting;

public static class BeTraceOtlpEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps OTLP/gRPC (<c>/opentelemetry.proto.collector.trace.v1.TraceService/Export</c>) and OTLP/HTTP
    /// (<c>/v1/traces</c>, every method so that a wrong one gets a 405 with a body). Both are mapped on every
    /// endpoint the host listens on: the host chooses the ports and protocols (gRPC needs HTTP/2).
    /// </summary>
    public static IEndpointRouteBuilder MapBeTraceOtlp(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGrpcService<OtlpGrpcEndpoint>();
        endpoints.Map(
                OtlpHttpTraceEndpoint.Path,
                context => context.RequestServices.GetRequiredService<OtlpHttpTraceEndpoint>().HandleAsync(context))
            .WithDisplayName("OTLP/HTTP traces");
        return endpoints;
    }
}
