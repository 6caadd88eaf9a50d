using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace BeTrace.Gateway.Hosting;

/// <summary>Metrics of a BeTrace process for Prometheus: the Orleans and BeTrace meters and the .NET runtime.</summary>
public static class ObservabilityRegistration
{
    public const string BeTraceMeter = "BeTrace";
    public const string OrleansMeter = "Microsoft.Orleans";

    public static IServiceCollection AddBeTraceMetricsEndpoint(this IServiceCollection services, string serviceName, string instanceId)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceInstanceId: instanceId))
            .WithMetrics(metrics => metrics
                .AddMeter(OrleansMeter, BeTraceMeter)
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        return services;
    }
}
