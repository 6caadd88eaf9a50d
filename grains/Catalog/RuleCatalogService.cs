using BeTrace.Grains.Interfaces.Rules;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace BeTrace.Grains.Catalog;

/// <summary>
/// The per-silo service behind the <see cref="RuleCatalog"/>: registries push new snapshots to it, and a
/// periodic poll compares every tenant's registry version with the local one and fetches what is newer, so a
/// silo that missed a push, or joined later, converges within one poll interval.
/// </summary>
public sealed partial class RuleCatalogService : GrainService, IRuleCatalogService
{
    private readonly RuleCatalog _catalog;
    private readonly IGrainFactory _grains;
    private readonly RuleCatalogOptions _options;
    private readonly ILogger<RuleCatalogService> _logger;

    public RuleCatalogService(
        GrainId id,
        Silo silo,
        ILoggerFactory loggerFactory,
        RuleCatalog catalog,
        IGrainFactory grains,
        IOptions<RuleCatalogOptions> options)
        : base(id, silo, loggerFactory)
    {
        _catalog = catalog;
        _grains = grains;
        _options = options.Value;
        _logger = loggerFactory.CreateLogger<RuleCatalogService>();
    }

    public override async Task Start()
    {
        await base.Start();
        RegisterGrainTimer(Poll, TimeSpan.Zero, _options.PollInterval);
    }

    public Task Apply(RuleSetSnapshot snapshot)
    {
        _catalog.Install(snapshot);
        return Task.CompletedTask;
    }

    public Task<Dictionary<string, long>> Versions() => Task.FromResult(new Dictionary<string, long>(_catalog.Versions()));

    /// <summary>One poll: ask every tenant's registry for its version; fetch the snapshots this silo lacks.</summary>
    internal async Task Poll(CancellationToken cancellation)
    {
        try
        {
            var tenants = await _grains.GetGrain<ITenantDirectoryGrain>(0).List();
            foreach (var tenant in tenants)
            {
                cancellation.ThrowIfCancellationRequested();
                var registry = _grains.GetGrain<IRuleRegistryGrain>(tenant);
                if (await registry.GetVersion() > _catalog.For(tenant).Version)
                {
                    _catalog.Install(await registry.GetSnapshot());
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next poll tries again; meanwhile the silo keeps evaluating with the snapshots it has.
            LogPollFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rule catalog poll failed; keeping the current snapshots")]
    private partial void LogPollFailed(Exception exception);
}
