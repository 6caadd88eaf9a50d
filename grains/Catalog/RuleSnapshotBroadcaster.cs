using BeTrace.Grains.Interfaces.Rules;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace BeTrace.Grains.Catalog;

/// <summary>
/// Pushes a registry's new snapshot to the rule catalog of every active silo. A silo that cannot be reached is
/// logged and skipped: its version poll fetches the snapshot later.
/// </summary>
public sealed partial class RuleSnapshotBroadcaster(
    IClusterMembershipService membership,
    IRuleCatalogServiceClient catalogs,
    IOptions<RuleCatalogOptions> options,
    ILogger<RuleSnapshotBroadcaster> logger)
{
    public async Task Broadcast(RuleSetSnapshot snapshot)
    {
        var silos = membership.CurrentSnapshot.Members.Values
            .Where(member => member.Status == SiloStatus.Active)
            .Select(member => member.SiloAddress)
            .ToList();
        await Task.WhenAll(silos.Select(silo => Push(silo, snapshot)));
    }

    private async Task Push(SiloAddress silo, RuleSetSnapshot snapshot)
    {
        try
        {
            await catalogs.Apply(silo, snapshot).WaitAsync(options.Value.PushTimeout);
        }
        catch (Exception ex)
        {
            LogPushFailed(ex, snapshot.Tenant, snapshot.Version, silo.ToString());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tenant {Tenant}: could not push rule version {Version} to silo {Silo}; its poll will catch up")]
    private partial void LogPushFailed(Exception exception, string tenant, long version, string silo);
}
