using BeTrace.Grains.Hosting;
using BeTrace.Grains.Metrics;
using BeTrace.Silo.Storage;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace BeTrace.Silo.Hosting;

/// <summary>Builds the silo process: Orleans with the chosen storage and clustering, the grains, and the admin port.</summary>
public static class SiloHost
{
    /// <summary>Configuration section of <see cref="StorageOptions"/> (environment: <c>BeTrace__Storage__Mode</c>, …).</summary>
    public const string StorageSection = "BeTrace:Storage";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Configuration.AddCommandLine(args, CommandLineSwitches.Map);
        var settings = builder.Configuration.GetSection(SiloSettings.Section).Get<SiloSettings>() ?? new SiloSettings();
        var storage = builder.Configuration.GetSection(StorageSection).Get<StorageOptions>() ?? new StorageOptions();

        builder.WebHost.UseUrls($"http://{settings.AdminAddress}:{settings.EffectiveAdminPort}");
        builder.Services.AddSingleton<SiloReadiness>();
        builder.Services.ProvideSigningKey(storage);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("betrace-silo", serviceInstanceId: $"{Environment.MachineName}:{settings.EffectiveSiloPort}"))
            .WithMetrics(metrics => metrics
            .AddMeter("Microsoft.Orleans", BeTraceMetrics.MeterName)
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());

        builder.UseOrleans(silo =>
        {
            silo.Configure<Orleans.Configuration.ClusterOptions>(options =>
            {
                options.ClusterId = storage.ClusterId;
                options.ServiceId = storage.ServiceId;
            });
            if (storage.Mode == StorageMode.Postgres)
            {
                silo.ConfigureEndpoints(settings.EffectiveSiloPort, settings.EffectiveGatewayPort);
                silo.UseBeTracePostgres(storage);
            }
            else
            {
                silo.UseLocalhostClustering(settings.EffectiveSiloPort, settings.EffectiveGatewayPort,
                    serviceId: storage.ServiceId, clusterId: storage.ClusterId);
                silo.UseBeTraceSqliteStorage(storage);
            }
            silo.AddBeTraceGrains(builder.Configuration);
            silo.Services.AddSingleton<Orleans.ILifecycleParticipant<Orleans.Runtime.ISiloLifecycle>>(
                services => services.GetRequiredService<SiloReadiness>());
        });

        var app = builder.Build();
        app.MapAdminEndpoints();
        return app;
    }
}
