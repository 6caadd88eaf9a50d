using BeTrace.Gateway.Tenancy;
using Microsoft.Extensions.Options;

namespace BeTrace.Gateway;

/// <summary>Refuses gateway settings that cannot work, at start-up and with the setting's name.</summary>
public sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.TenantHeader))
        {
            failures.Add($"{GatewayOptions.Section}:TenantHeader must not be empty");
        }

        if (TenantName.Check(options.DefaultTenant) is { } defaultProblem)
        {
            failures.Add($"{GatewayOptions.Section}:DefaultTenant {defaultProblem}");
        }

        foreach (var (tenant, token) in options.Tokens)
        {
            if (TenantName.Check(tenant) is { } problem)
            {
                failures.Add($"{GatewayOptions.Section}:Tokens: tenant {problem}");
            }

            if (string.IsNullOrWhiteSpace(token))
            {
                failures.Add($"{GatewayOptions.Section}:Tokens:{tenant} is empty");
            }
        }

        Positive(failures, nameof(options.MaxRequestBytes), options.MaxRequestBytes);
        Positive(failures, nameof(options.MaxSpansPerRequest), options.MaxSpansPerRequest);
        Positive(failures, nameof(options.MaxInFlightGroups), options.MaxInFlightGroups);
        if (options.MaxAttributesPerSpan < 0)
        {
            failures.Add($"{GatewayOptions.Section}:MaxAttributesPerSpan must not be negative");
        }

        if (options.InFlightWaitTimeout < TimeSpan.Zero)
        {
            failures.Add($"{GatewayOptions.Section}:InFlightWaitTimeout must not be negative");
        }

        if (options.GrainCallTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{GatewayOptions.Section}:GrainCallTimeout must be positive");
        }

        if (options.RetryAfterSeconds < 0)
        {
            failures.Add($"{GatewayOptions.Section}:RetryAfterSeconds must not be negative");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string setting, int value)
    {
        if (value <= 0)
        {
            failures.Add($"{GatewayOptions.Section}:{setting} must be positive (is {value})");
        }
    }
}
