using BeTrace.Gateway.Export;

namespace BeTrace.Gateway.Tenancy;

/// <summary>The authenticated tenant of a request, or why the request is refused.</summary>
public readonly record struct TenantResolution(string? Tenant, ExportError? Error)
{
    public static TenantResolution Of(string tenant) => new(tenant, null);

    public static TenantResolution Refused(ExportErrorKind kind, string message) => new(null, new ExportError(kind, message));
}
