namespace BeTrace.Grains.Interfaces.Operations;

/// <summary>Operations view of the cluster (key 0): which silos there are and which rule versions each holds.</summary>
[Alias("betrace.IClusterStatusGrain")]
public interface IClusterStatusGrain : IGrainWithIntegerKey
{
    [Alias("Silos")]
    Task<SiloRuleVersions[]> Silos();
}
