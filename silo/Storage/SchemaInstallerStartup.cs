using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace BeTrace.Silo.Storage;

/// <summary>
/// Runs <see cref="SchemaInstaller"/> early in the silo lifecycle, before the membership table (RuntimeGrainServices)
/// and the grain storage providers (ApplicationServices) read their query rows.
/// </summary>
internal sealed partial class SchemaInstallerStartup(StorageOptions options, ILogger<SchemaInstallerStartup> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchemaInstallerStartup), ServiceLifecycleStage.RuntimeInitialize, InstallAsync);

    private async Task InstallAsync(CancellationToken cancellationToken)
    {
        if (!options.ApplySchemaOnStartup)
        {
            LogSkipped(logger, options.Mode);
            return;
        }

        var started = TimeProvider.System.GetTimestamp();
        await SchemaInstaller.InstallAsync(options, cancellationToken).ConfigureAwait(false);
        LogApplied(logger, options.Mode, TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "BeTrace {Mode} schema applied in {ElapsedMs:F0} ms")]
    private static partial void LogApplied(ILogger logger, StorageMode mode, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "BeTrace {Mode} schema not applied at start-up (ApplySchemaOnStartup is off)")]
    private static partial void LogSkipped(ILogger logger, StorageMode mode);
}
