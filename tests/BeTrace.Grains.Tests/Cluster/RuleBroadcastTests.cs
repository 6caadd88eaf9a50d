using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Grains.Tests.Cluster;

/// <summary>Every silo's compiled snapshot follows the registry: by push, by poll, and when a silo joins.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RuleBroadcastTests(ClusterFixture fixture) : ClusterTestBase
{
    [Fact]
    public async Task A_change_reaches_every_silo_by_push_before_the_call_returns()
    {
        var tenant = "b-" + Guid.NewGuid().ToString("N")[..8];
        var registry = fixture.Grains.GetGrain<IRuleRegistryGrain>(tenant);
        await registry.Create(Rule("r1", "when { a }"));
        await registry.Create(Rule("r2", "when { b }"));

        var version = await registry.GetVersion();
        Assert.All(fixture.Catalogs(), catalog =>
        {
            var rules = catalog.For(tenant);
            Assert.Equal(version, rules.Version);
            Assert.Equal(["r1", "r2"], rules.Rules.Select(r => r.Definition.Id).ToArray());
        });

        await registry.SetEnabled("r1", false);
        Assert.All(fixture.Catalogs(), catalog => Assert.Equal(["r2"], catalog.For(tenant).Rules.Select(r => r.Definition.Id).ToArray()));
    }

    [Fact]
    public async Task A_silo_that_missed_a_push_converges_within_one_poll_interval()
    {
        var tenant = "b-" + Guid.NewGuid().ToString("N")[..8];
        var registry = fixture.Grains.GetGrain<IRuleRegistryGrain>(tenant);
        await registry.Create(Rule("r1", "when { a }"));
        var behind = fixture.Catalogs()[1];
        behind.Forget(tenant);
        Assert.Equal(0, behind.For(tenant).Version);

        fixture.Clock.Advance(ClusterFixture.PollInterval);
        await WaitUntil(() => behind.For(tenant).Version == 1, "the poll to fetch the missed snapshot");
        Assert.Equal("r1", Assert.Single(behind.For(tenant).Rules).Definition.Id);
    }

    [Fact]
    public async Task A_silo_that_joins_later_gets_the_rules()
    {
        var tenant = "b-" + Guid.NewGuid().ToString("N")[..8];
        var registry = fixture.Grains.GetGrain<IRuleRegistryGrain>(tenant);
        await registry.Create(Rule("r1", "when { a }"));

        var joined = await fixture.Cluster.StartAdditionalSiloAsync();
        try
        {
            var catalog = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
                .GetRequiredService<Catalog.RuleCatalog>(joined.SiloHost.Services);
            await WaitUntil(() => catalog.For(tenant).Version == 1, "the new silo's first poll");
        }
        finally
        {
            await fixture.Cluster.StopSiloAsync(joined);
        }
    }
}
