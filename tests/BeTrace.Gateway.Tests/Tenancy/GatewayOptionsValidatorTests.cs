namespace BeTrace.Gateway.Tests.Tenancy;

public sealed class GatewayOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new GatewayOptionsValidator().Validate(null, new GatewayOptions()).Succeeded);
    }

    [Fact]
    public void Unusable_settings_are_named()
    {
        var result = new GatewayOptionsValidator().Validate(null, new GatewayOptions
        {
            DefaultTenant = "a/b",
            Tokens = new() { ["x/y"] = "t", ["z"] = "" },
            MaxInFlightGroups = 0,
            GrainCallTimeout = TimeSpan.Zero,
        });

        Assert.True(result.Failed);
        Assert.Contains("BeTrace:Gateway:DefaultTenant 'a/b' contains '/'", result.FailureMessage);
        Assert.Contains("BeTrace:Gateway:Tokens: tenant 'x/y' contains '/'", result.FailureMessage);
        Assert.Contains("BeTrace:Gateway:Tokens:z is empty", result.FailureMessage);
        Assert.Contains("BeTrace:Gateway:MaxInFlightGroups must be positive", result.FailureMessage);
        Assert.Contains("BeTrace:Gateway:GrainCallTimeout must be positive", result.FailureMessage);
    }
}
