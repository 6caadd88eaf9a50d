namespace BeTrace.Grains.Rules;

/// <summary>What the tenant directory persists.</summary>
[GenerateSerializer, Alias("betrace.TenantDirectoryState")]
public sealed class TenantDirectoryState
{
    [Id(0)]
    public HashSet<string> Tenants { get; set; } = new(StringComparer.Ordinal);
}
