using BeTrace.Grains.Interfaces.Rules;
using Orleans.Runtime;
using Orleans.Services;

namespace BeTrace.Grains.Catalog;

/// <summary>Addresses the rule catalog service of one given silo (resolved from a silo's services).</summary>
public interface IRuleCatalogServiceClient : IGrainServiceClient<IRuleCatalogService>
{
    Task Apply(SiloAddress silo, RuleSetSnapshot snapshot);

    Task<Dictionary<string, long>> Versions(SiloAddress silo);
}
