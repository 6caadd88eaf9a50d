using BeTrace.Grains.Interfaces.Operations;
using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Console.Cluster;

/// <summary>One silo in <c>cluster status</c>: membership state, activations, and the rule versions its catalog holds.</summary>
public sealed record SiloStatusView(string Silo, string Status, int Activations, long? RuleVersion, Dictionary<string, long> RuleVersions, string? Error);

/// <summary>Activations of one grain type, in all and per silo.</summary>
public sealed record GrainTypeView(string GrainType, int Activations, Dictionary<string, int> PerSilo);

/// <summary>What <c>cluster status</c> shows: the tenant's registry version, then every silo and grain type.</summary>
public sealed record ClusterStatus(string ClusterId, string Tenant, long RegistryVersion, IReadOnlyList<SiloStatusView> Silos, IReadOnlyList<GrainTypeView> GrainTypes)
{
    /// <summary>Asks the cluster: the status grain for silos and rule versions, the management grain for activations.</summary>
    public static async Task<ClusterStatus> ReadAsync(IClusterClient client, ConnectionSettings settings)
    {
        var management = client.GetGrain<IManagementGrain>(0);
        var silos = await client.GetGrain<IClusterStatusGrain>(0).Silos();
        var statistics = await management.GetSimpleGrainStatistics();
        var registryVersion = await client.GetGrain<IRuleRegistryGrain>(settings.Tenant).GetVersion();

        var perSilo = statistics
            .GroupBy(s => s.SiloAddress.ToString(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(s => s.ActivationCount), StringComparer.Ordinal);
        var siloViews = silos.Select(silo => new SiloStatusView(
            silo.Silo,
            silo.Status,
            perSilo.GetValueOrDefault(silo.Silo),
            silo.RuleVersions.TryGetValue(settings.Tenant, out var version) ? version : null,
            silo.RuleVersions,
            silo.Error)).ToList();
        var grainTypes = statistics
            .GroupBy(s => s.GrainType, StringComparer.Ordinal)
            .Select(g => new GrainTypeView(
                g.Key,
                g.Sum(s => s.ActivationCount),
                g.GroupBy(s => s.SiloAddress.ToString(), StringComparer.Ordinal)
                    .ToDictionary(bySilo => bySilo.Key, bySilo => bySilo.Sum(s => s.ActivationCount), StringComparer.Ordinal)))
            .OrderByDescending(view => view.Activations)
            .ThenBy(view => view.GrainType, StringComparer.Ordinal)
            .ToList();
        return new ClusterStatus(settings.ClusterId, settings.Tenant, registryVersion, siloViews, grainTypes);
    }
}
