using Orleans.Services;

namespace BeTrace.Grains.Interfaces.Rules;

/// <summary>The per-silo holder of compiled rule snapshots; registries push changes to it.</summary>
[Alias("betrace.IRuleCatalogService")]
public interface IRuleCatalogService : IGrainService
{
    /// <summary>Compiles and installs a snapshot unless the silo already holds the same or a newer version.</summary>
    [Alias("Apply")]
    Task Apply(RuleSetSnapshot snapshot);

    /// <summary>The registry version this silo holds for each tenant.</summary>
    [Alias("Versions")]
    Task<Dictionary<string, long>> Versions();
}
