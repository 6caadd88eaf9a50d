using BeTrace.Grains.Catalog;
using BeTrace.Grains.Interfaces.Operations;
using Orleans.Concurrency;

namespace BeTrace.Grains.Operations;

/// <summary>Asks every silo in the membership for the rule versions its catalog holds.</summary>
[StatelessWorker]
public sealed class ClusterStatusGrain(IClusterMembershipService membership, IRuleCatalogServiceClient catalogs)
    : Grain, IClusterStatusGrain
{
    private static readonly TimeSpan PerSiloTimeout = TimeSpan.FromSeconds(5);

    public async Task<SiloRuleVersions[]> Silos()
    {
        await membership.Refresh();
        var members = membership.CurrentSnapshot.Members.Values.OrderBy(member => member.SiloAddress.ToString(), StringComparer.Ordinal);
        return await Task.WhenAll(members.Select(async member =>
        {
            if (member.Status != SiloStatus.Active)
            {
                return new SiloRuleVersions(member.SiloAddress.ToString(), member.Status.ToString(), [], null);
            }
            try
            {
                var versions = await catalogs.Versions(member.SiloAddress).WaitAsync(PerSiloTimeout);
                return new SiloRuleVersions(member.SiloAddress.ToString(), member.Status.ToString(), versions, null);
            }
            catch (Exception ex) when (ex is TimeoutException or OrleansException)
            {
                return new SiloRuleVersions(member.SiloAddress.ToString(), member.Status.ToString(), [], ex.Message);
            }
        }));
    }
}
