namespace BeTrace.Grains.Interfaces.Rules;

/// <summary>
/// The tenants that have a rule registry (a single grain, key 0), so a silo that starts or polls knows which
/// registries to ask for their versions.
/// </summary>
[Alias("betrace.ITenantDirectoryGrain")]
public interface ITenantDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Register")]
    Task Register(string tenant);

    [Alias("List")]
    Task<string[]> List();
}
