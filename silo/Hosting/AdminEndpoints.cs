using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BeTrace.Silo.Hosting;

/// <summary>The admin port: liveness, readiness and the Prometheus scrape endpoint.</summary>
public static class AdminEndpoints
{
    public static WebApplication MapAdminEndpoints(this WebApplication app)
    {
        app.MapGet("/health/live", () => Results.Text("live\n"));
        app.MapGet("/health/ready", (SiloReadiness readiness) =>
            readiness.IsReady ? Results.Text("ready\n") : Results.Text("starting or stopping\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
