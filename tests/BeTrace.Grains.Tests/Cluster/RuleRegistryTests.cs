using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Grains.Tests.Cluster;

/// <summary>The rule registry: validation before storage, versions and optimistic concurrency, limits.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RuleRegistryTests(ClusterFixture fixture) : ClusterTestBase
{
    private IRuleRegistryGrain Registry() => fixture.Grains.GetGrain<IRuleRegistryGrain>("r-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task An_invalid_rule_is_refused_with_the_compiler_message_and_nothing_is_stored()
    {
        var registry = Registry();
        var change = await registry.Create(Rule("bad", "when { payment.where(amount > 1000) }\nalways { fraud_check && x }"));

        Assert.False(change.Succeeded);
        Assert.Equal(RuleErrorCode.InvalidExpression, change.Error!.Code);
        Assert.Equal((2, 22), (change.Error.Line, change.Error.Column));
        Assert.Contains("unexpected character '&'", change.Error.Message, StringComparison.Ordinal);
        Assert.Empty(await registry.List());
        Assert.Equal(0, await registry.GetVersion());
    }

    [Fact]
    public async Task Every_change_bumps_the_version_and_stale_updates_are_refused()
    {
        var registry = Registry();
        var created = (await registry.Create(Rule("r1", "when { a }"))).Rule!;
        Assert.Equal(1, created.Version);

        var updated = await registry.Update(Rule("r1", "when { b }"), expectedVersion: 1);
        Assert.True(updated.Succeeded);
        Assert.Equal(2, updated.Rule!.Version);

        var stale = await registry.Update(Rule("r1", "when { c }"), expectedVersion: 1);
        Assert.Equal(RuleErrorCode.VersionConflict, stale.Error!.Code);
        Assert.Equal("when { b }", (await registry.Get("r1"))!.Expression);

        Assert.True((await registry.SetEnabled("r1", false)).Succeeded);
        Assert.Empty((await registry.GetSnapshot()).EnabledRules);
        Assert.True((await registry.Delete("r1")).Succeeded);
        Assert.Null(await registry.Get("r1"));
        Assert.Equal(4, await registry.GetVersion());
    }

    [Fact]
    public async Task Concurrent_updates_with_the_same_version_let_exactly_one_win()
    {
        var registry = Registry();
        await registry.Create(Rule("r1", "when { a }"));
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => registry.Update(Rule("r1", $"when {{ a{i} }}"), 1)));
        Assert.Equal(1, attempts.Count(a => a.Succeeded));
        Assert.Equal(7, attempts.Count(a => a.Error?.Code == RuleErrorCode.VersionConflict));
    }

    [Theory]
    [InlineData("", "rule id is empty")]
    [InlineData("bad id", "must be 1-128 characters")]
    public async Task Bad_ids_are_refused(string id, string message)
    {
        var change = await Registry().Create(Rule(id, "when { a }"));
        Assert.Equal(RuleErrorCode.InvalidField, change.Error!.Code);
        Assert.Contains(message, change.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Field_limits_are_enforced_with_clear_messages()
    {
        var registry = Registry();
        var longName = await registry.Create(Rule("r1", "when { a }") with { Name = new string('n', 257) });
        Assert.Contains("longer than 256 bytes", longName.Error!.Message, StringComparison.Ordinal);
        var longDescription = await registry.Create(Rule("r1", "when { a }") with { Description = new string('é', 2049) });
        Assert.Contains("longer than 4096 bytes", longDescription.Error!.Message, StringComparison.Ordinal);
        var duplicate = await registry.Create(Rule("r2", "when { a }"));
        Assert.True(duplicate.Succeeded);
        Assert.Equal(RuleErrorCode.AlreadyExists, (await registry.Create(Rule("r2", "when { a }"))).Error!.Code);
        Assert.Equal(RuleErrorCode.NotFound, (await registry.Update(Rule("zz", "when { a }"), 1)).Error!.Code);
    }

    [Fact]
    public async Task Validate_reports_errors_without_storing()
    {
        var registry = Registry();
        Assert.Null(await registry.Validate("when { a } always { b }"));
        var error = await registry.Validate("when { payment > 1 }");
        Assert.Equal((1, 8), (error!.Line, error.Column));
        Assert.Equal(0, await registry.GetVersion());
    }
}
