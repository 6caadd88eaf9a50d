namespace BeTrace.Gateway.Tenancy;

/// <summary>The rules for a tenant name: it is part of trace grain keys ("tenant/trace-id").</summary>
public static class TenantName
{
    public const int MaxLength = 128;

    /// <summary>Null when <paramref name="tenant"/> is a valid tenant name, else what is wrong with it.</summary>
    public static string? Check(string? tenant)
    {
        if (string.IsNullOrEmpty(tenant))
        {
            return "is empty";
        }

        if (tenant.Length > MaxLength)
        {
            return $"is {tenant.Length} characters long, the limit is {MaxLength}";
        }

        if (tenant.Contains('/', StringComparison.Ordinal))
        {
            return $"'{tenant}' contains '/'";
        }

        if (tenant.Any(char.IsControl))
        {
            return "contains a control character";
        }

        return null;
    }
}
