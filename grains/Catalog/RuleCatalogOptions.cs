namespace BeTrace.Grains.Catalog;

public sealed class RuleCatalogOptions
{
    public const string Section = "BeTrace:Rules";

    /// <summary>How often each silo compares its snapshots with the registries' versions (heals a missed push).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a registry waits for one silo to take a pushed snapshot before moving on.</summary>
    public TimeSpan PushTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
