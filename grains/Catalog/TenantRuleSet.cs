namespace BeTrace.Grains.Catalog;

/// <summary>An immutable compiled snapshot of one tenant's enabled rules at one registry version.</summary>
public sealed record TenantRuleSet(string Tenant, long Version, IReadOnlyList<CatalogRule> Rules)
{
    public static TenantRuleSet Empty(string tenant) => new(tenant, 0, []);
}
