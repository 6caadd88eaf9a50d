using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BeTrace.Gateway.Hosting;

/// <summary>
/// The stand-alone gateway: OTLP receivers in front of a cluster, joined as an Orleans client. Run several to
/// spread ingest over hosts; silos keep the trace grains.
/// </summary>
public static class GatewayHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Configuration.AddCommandLine(args, GatewaySwitches.Map);
        var listen = builder.Configuration.ReadListenSettings();
        listen.OtlpEnabled = true;
        var cluster = builder.Configuration.GetSection(ClusterConnection.Section).Get<ClusterConnection>() ?? new ClusterConnection();

        builder.WebHost.ListenForBeTrace(listen);
        builder.Logging.QuietFrameworkLogs();
        builder.Services.AddSingleton<StartedReadiness>();
        builder.Services.AddBeTraceMetricsEndpoint("betrace-gateway", $"{Environment.MachineName}:{listen.EffectiveOtlpGrpcPort}");
        builder.Services.AddBeTraceGateway(builder.Configuration);
        builder.UseOrleansClient(client => client.UseBeTraceCluster(cluster));

        var app = builder.Build();
        app.MapAdminEndpoints(services => services.GetRequiredService<StartedReadiness>().IsReady, listen.EffectiveAdminPort);
        app.MapBeTraceOtlp();
        return app;
    }
}
