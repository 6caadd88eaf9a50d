using BeTrace.Grains.Interfaces.Traces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace BeTrace.Grains.Traces;

/// <summary>
/// A per-silo service that periodically takes parked trace keys from the index and activates those traces here or
/// elsewhere, so a trace that had all its spans before its silo stopped is still evaluated.
/// </summary>
public sealed partial class ParkedTraceResumer : GrainService, IParkedTraceResumer
{
    private const int BatchSize = 1000;

    private readonly IGrainFactory _grains;
    private readonly TraceOptions _options;
    private readonly ILogger<ParkedTraceResumer> _logger;

    public ParkedTraceResumer(GrainId id, Silo silo, ILoggerFactory loggerFactory, IGrainFactory grains, IOptions<TraceOptions> options)
        : base(id, silo, loggerFactory)
    {
        _grains = grains;
        _options = options.Value;
        _logger = loggerFactory.CreateLogger<ParkedTraceResumer>();
    }

    public override async Task Start()
    {
        await base.Start();
        RegisterGrainTimer(ResumeParked, _options.ParkedTraceResumeInterval, _options.ParkedTraceResumeInterval);
    }

    private async Task ResumeParked(CancellationToken cancellation)
    {
        try
        {
            var keys = await _grains.GetGrain<IParkedTraceIndexGrain>(0).Take(BatchSize);
            foreach (var key in keys)
            {
                cancellation.ThrowIfCancellationRequested();
                await _grains.GetGrain<ITraceGrain>(key).Resume();
            }
            if (keys.Length > 0)
            {
                LogResumed(keys.Length);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogResumeFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed {Count} traces parked at a silo shutdown")]
    private partial void LogResumed(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resuming parked traces failed; the next round retries")]
    private partial void LogResumeFailed(Exception exception);
}
