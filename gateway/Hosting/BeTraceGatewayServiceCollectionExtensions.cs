using BeTrace.Gateway.Conversion;
using BeTrace.Gateway.Export;
using BeTrace.Gateway.Ingest;
using BeTrace.Gateway.Metrics;
using BeTrace.Gateway.Receivers;
using BeTrace.Gateway.Tenancy;
using Grpc.AspNetCore.Server;
using Grpc.AspNetCore.Server.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BeTrace.Gateway.Hosting;

public static class BeTraceGatewayServiceCollectionExtensions
{
    /// <summary>
    /// Registers the OTLP receivers and what they need; binds <see cref="GatewayOptions"/> from the
    /// <c>BeTrace:Gateway</c> section of <paramref name="configuration"/> (validated at start-up). The host must also
    /// provide an <see cref="IGrainFactory"/>: a silo does, and so does an Orleans client (<c>UseOrleansClient</c>).
    /// Map the endpoints with <see cref="BeTraceOtlpEndpointRouteBuilderExtensions.MapBeTraceOtlp"/>.
    /// </summary>
    public static IServiceCollection AddBeTraceGateway(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<GatewayOptions>()
            .Bind(configuration.GetSection(GatewayOptions.Section))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>());

        services.AddMetrics();
        services.TryAddSingleton<GatewayMetrics>();
        services.TryAddSingleton<TenantResolver>();
        services.TryAddSingleton<OtlpSpanConverter>();
        services.TryAddSingleton<InFlightGate>();
        services.TryAddSingleton<SpanIngestor>();
        services.TryAddSingleton<TraceExportPipeline>();
        services.TryAddSingleton<OtlpHttpTraceEndpoint>();
        services.TryAddSingleton<OtlpGrpcTraceService>();

        // gRPC: the OTLP service's largest message is MaxRequestBytes (after decompression); other gRPC services of
        // the host keep their own settings. Oversized messages get RESOURCE_EXHAUSTED from Grpc.AspNetCore.
        services.AddGrpc();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<OtlpGrpcEndpoint>, OtlpGrpcMethodProvider>());
        services.AddOptions<GrpcServiceOptions<OtlpGrpcEndpoint>>()
            .Configure<IOptions<GatewayOptions>>((grpc, gateway) => grpc.MaxReceiveMessageSize = gateway.Value.MaxRequestBytes);
        return services;
    }
}
