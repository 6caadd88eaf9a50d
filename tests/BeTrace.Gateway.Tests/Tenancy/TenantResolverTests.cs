using BeTrace.Gateway.Export;
using BeTrace.Gateway.Tenancy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace BeTrace.Gateway.Tests.Tenancy;

public sealed class TenantResolverTests
{
    private static TenantResolver Resolver(Dictionary<string, string>? tokens = null) =>
        new(Options.Create(new GatewayOptions { Tokens = tokens ?? [] }));

    private static HeaderDictionary Headers(params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            dictionary[name] = value;
        }

        return dictionary;
    }

    [Fact]
    public void Without_the_header_the_default_tenant_is_used()
    {
        Assert.Equal("default", Resolver().Resolve(Headers()).Tenant);
    }

    [Fact]
    public void The_header_names_the_tenant_case_insensitively_by_header_name()
    {
        Assert.Equal("acme", Resolver().Resolve(Headers(("x-scope-orgid", "acme"))).Tenant);
    }

    [Theory]
    [InlineData("a/b", "'a/b' contains '/'")]
    [InlineData("", "is empty")]
    [InlineData("   ", "is empty")]
    public void An_invalid_tenant_is_refused_naming_the_header(string tenant, string problem)
    {
        var error = Resolver().Resolve(Headers(("X-Scope-OrgID", tenant))).Error;

        Assert.Equal(ExportErrorKind.InvalidArgument, error!.Kind);
        Assert.StartsWith("header X-Scope-OrgID: the tenant ", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void A_tenant_longer_than_128_characters_is_refused()
    {
        Assert.Null(Resolver().Resolve(Headers(("X-Scope-OrgID", new string('a', 128)))).Error);
        Assert.Contains("129 characters long", Resolver().Resolve(Headers(("X-Scope-OrgID", new string('a', 129)))).Error!.Message);
    }

    [Fact]
    public void Two_tenant_headers_are_refused()
    {
        var headers = new HeaderDictionary { ["X-Scope-OrgID"] = new StringValues(["a", "b"]) };

        Assert.Contains("given 2 times", Resolver().Resolve(headers).Error!.Message);
    }

    [Fact]
    public void With_tokens_each_tenant_needs_its_own_bearer_token()
    {
        var resolver = Resolver(new() { ["acme"] = "secret-a", ["other"] = "secret-o" });

        Assert.Equal("acme", resolver.Resolve(Headers(("X-Scope-OrgID", "acme"), ("Authorization", "Bearer secret-a"))).Tenant);
        Assert.Equal("acme", resolver.Resolve(Headers(("X-Scope-OrgID", "acme"), ("Authorization", "bearer secret-a"))).Tenant);
        AssertRefused(resolver, "missing Authorization", ("X-Scope-OrgID", "acme"));
        AssertRefused(resolver, "not valid for tenant 'acme'", ("X-Scope-OrgID", "acme"), ("Authorization", "Bearer secret-o"));
        AssertRefused(resolver, "Bearer scheme", ("X-Scope-OrgID", "acme"), ("Authorization", "Basic c2VjcmV0LWE="));
        AssertRefused(resolver, "tenant 'default' has no token", ("Authorization", "Bearer secret-a"));
    }

    private static void AssertRefused(TenantResolver resolver, string message, params (string, string)[] headers)
    {
        var error = resolver.Resolve(Headers(headers)).Error;
        Assert.Equal(ExportErrorKind.Unauthenticated, error!.Kind);
        Assert.Contains(message, error.Message);
    }
}
