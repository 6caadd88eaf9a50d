using BeTrace.Grains.Catalog;
using BeTrace.Grains.Metrics;
using BeTrace.Grains.Traces;
using BeTrace.Grains.Violations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using System.Diagnostics.Metrics;

namespace BeTrace.Grains.Hosting;

/// <summary>Registers what the BeTrace grains need on a silo: rule catalog and its service, metrics, sinks, options.</summary>
public static class BeTraceGrainsRegistration
{
    /// <param name="configuration">Binds the option sections (BeTrace:Traces, BeTrace:Rules, …) when given.</param>
    public static ISiloBuilder AddBeTraceGrains(this ISiloBuilder silo, IConfiguration? configuration = null)
    {
        var services = silo.Services;
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RuleCatalog>();
        services.AddSingleton<BeTraceMetrics>();
        services.AddSingleton<RuleSnapshotBroadcaster>();
        services.AddSingleton<IRuleCatalogServiceClient, RuleCatalogServiceClient>();
        services.TryAddSingleton(provider => new ViolationSpanExporter(
            provider.GetRequiredService<IOptions<ViolationExportOptions>>().Value,
            provider.GetService<IMeterFactory>(),
            provider.GetService<ILogger<ViolationSpanExporter>>()));
        services.TryAddSingleton<IViolationSink, ViolationSink>();
        silo.AddGrainService<RuleCatalogService>();
        silo.AddGrainService<ParkedTraceResumer>();

        // Resolved at start-up, so a malformed value (e.g. a duration) stops the silo at once with the key named,
        // instead of failing the first trace that reads it.
        var traces = services.AddOptions<TraceOptions>().ValidateOnStart();
        var rules = services.AddOptions<RuleCatalogOptions>().ValidateOnStart();
        var log = services.AddOptions<ViolationLogOptions>().ValidateOnStart();
        var export = services.AddOptions<ViolationExportOptions>().ValidateOnStart();
        if (configuration is not null)
        {
            traces.Bind(configuration.GetSection(TraceOptions.Section));
            rules.Bind(configuration.GetSection(RuleCatalogOptions.Section));
            log.Bind(configuration.GetSection(ViolationLogOptions.Section));
            export.Bind(configuration.GetSection(ViolationExportOptions.Section));
        }
        return silo;
    }
}
