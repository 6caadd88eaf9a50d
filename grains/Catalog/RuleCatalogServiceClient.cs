using BeTrace.Grains.Interfaces.Rules;
using Orleans.Runtime;
using Orleans.Runtime.Services;

namespace BeTrace.Grains.Catalog;

public sealed class RuleCatalogServiceClient(IServiceProvider services)
    : GrainServiceClient<IRuleCatalogService>(services), IRuleCatalogServiceClient
{
    public Task Apply(SiloAddress silo, RuleSetSnapshot snapshot) => GetGrainService(silo).Apply(snapshot);

    public Task<Dictionary<string, long>> Versions(SiloAddress silo) => GetGrainService(silo).Versions();
}
