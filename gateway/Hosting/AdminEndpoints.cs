using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BeTrace.Gateway.Hosting;

/// <summary>The admin port of a silo or gateway: liveness, readiness and the Prometheus scrape endpoint.</summary>
public static class AdminEndpoints
{
    /// <param name="isReady">Whether the process can do its work now (answered 200, else 503).</param>
    /// <param name="adminPort">The endpoints answer only on this port, not on the OTLP ports.</param>
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder endpoints, Func<IServiceProvider, bool> isReady, int adminPort)
    {
        var host = $"*:{adminPort}";
        endpoints.MapGet("/health/live", () => Results.Text("live\n")).RequireHost(host);
        endpoints.MapGet("/health/ready", (HttpContext context) => isReady(context.RequestServices)
                ? Results.Text("ready\n")
                : Results.Text("starting or stopping\n", statusCode: StatusCodes.Status503ServiceUnavailable))
            .RequireHost(host);
        endpoints.MapPrometheusScrapingEndpoint("/metrics").RequireHost(host);
        return endpoints;
    }
}
