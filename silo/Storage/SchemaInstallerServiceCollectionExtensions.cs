using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace BeTrace.Silo.Storage;

internal static class SchemaInstallerServiceCollectionExtensions
{
    /// <summary>Registers the start-up schema installer once per silo, for the given options.</summary>
    public static IServiceCollection AddBeTraceSchemaInstaller(this IServiceCollection services, StorageOptions options)
    {
        if (services.Any(d => d.ServiceType == typeof(SchemaInstallerStartup)))
        {
            throw new InvalidOperationException(
                "BeTrace storage is already configured on this silo: call UseBeTraceSqliteStorage or UseBeTracePostgres once.");
        }

        services.AddSingleton(sp => new SchemaInstallerStartup(
            options, sp.GetRequiredService<ILogger<SchemaInstallerStartup>>()));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SchemaInstallerStartup>());
        return services;
    }
}
