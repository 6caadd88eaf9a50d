using BeTrace.Gateway.Hosting;
using BeTrace.Grains.Hosting;
using BeTrace.Silo.Storage;

namespace BeTrace.Silo.Hosting;

/// <summary>
/// Builds the silo process: Orleans with the chosen storage and clustering, the grains, the co-hosted OTLP gateway
/// (so a single silo accepts telemetry at once), and the admin port.
/// </summary>
public static class SiloHost
{
    /// <summary>Configuration section of <see cref="StorageOptions"/> (environment: <c>BeTrace__Storage__Mode</c>, …).</summary>
    public const string StorageSection = "BeTrace:Storage";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Configuration.AddCommandLine(args, CommandLineSwitches.Map);
        var settings = builder.Configuration.GetSection(SiloSettings.Section).Get<SiloSettings>() ?? new SiloSettings();
        settings.Instance = builder.Configuration.GetValue(HostSwitches.InstanceKey, 0);
        var listen = builder.Configuration.ReadListenSettings();
        var storage = builder.Configuration.GetSection(StorageSection).Get<StorageOptions>() ?? new StorageOptions();

        builder.WebHost.ListenForBeTrace(listen);
        builder.Logging.QuietFrameworkLogs();
        builder.Services.AddSingleton<SiloReadiness>();
        builder.Services.ProvideSigningKey(storage);
        builder.Services.AddBeTraceMetricsEndpoint("betrace-silo", $"{Environment.MachineName}:{settings.EffectiveSiloPort}");
        if (listen.OtlpEnabled)
        {
            builder.Services.AddBeTraceGateway(builder.Configuration);
        }

        builder.UseOrleans(silo =>
        {
            if (storage.Mode == StorageMode.Postgres)
            {
                if (settings.AdvertisedAddress is { Length: > 0 } address)
                {
                    silo.ConfigureEndpoints(System.Net.IPAddress.Parse(address), settings.EffectiveSiloPort, settings.EffectiveGatewayPort);
                }
                else
                {
                    silo.ConfigureEndpoints(settings.EffectiveSiloPort, settings.EffectiveGatewayPort);
                }
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
        app.MapAdminEndpoints(services => services.GetRequiredService<SiloReadiness>().IsReady, listen.EffectiveAdminPort);
        if (listen.OtlpEnabled)
        {
            app.MapBeTraceOtlp();
        }
        return app;
    }
}
