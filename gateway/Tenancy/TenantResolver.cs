using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using BeTrace.Gateway.Export;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace BeTrace.Gateway.Tenancy;

/// <summary>
/// Finds a request's tenant (the configured tenant header, else the default tenant) and, when tokens are configured,
/// checks its <c>Authorization: Bearer</c> token against that tenant's token. Used by both receivers.
/// </summary>
public sealed class TenantResolver
{
    private const string BearerPrefix = "Bearer ";

    private readonly string _header;
    private readonly string _defaultTenant;
    private readonly FrozenDictionary<string, byte[]> _tokenHashes;

    public TenantResolver(IOptions<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        _header = value.TenantHeader;
        _defaultTenant = value.DefaultTenant;
        _tokenHashes = value.Tokens.ToFrozenDictionary(
            pair => pair.Key, pair => SHA256.HashData(Encoding.UTF8.GetBytes(pair.Value)), StringComparer.Ordinal);
    }

    /// <summary>Whether requests must carry a bearer token.</summary>
    public bool RequiresToken => _tokenHashes.Count > 0;

    public TenantResolution Resolve(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var tenant = _defaultTenant;
        if (headers.TryGetValue(_header, out var values))
        {
            if (values.Count > 1)
            {
                return TenantResolution.Refused(ExportErrorKind.InvalidArgument, $"header {_header} is given {values.Count} times; send one tenant");
            }

            tenant = values.Count == 0 ? string.Empty : values[0]?.Trim() ?? string.Empty;
            if (TenantName.Check(tenant) is { } problem)
            {
                return TenantResolution.Refused(
                    ExportErrorKind.InvalidArgument,
                    $"header {_header}: the tenant {problem} (a tenant is 1-{TenantName.MaxLength} characters without '/')");
            }
        }

        return RequiresToken ? Authenticate(tenant, headers) : TenantResolution.Of(tenant);
    }

    private TenantResolution Authenticate(string tenant, IHeaderDictionary headers)
    {
        var authorization = headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return TenantResolution.Refused(ExportErrorKind.Unauthenticated, "missing Authorization: Bearer <token> header");
        }

        if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return TenantResolution.Refused(ExportErrorKind.Unauthenticated, "the Authorization header must use the Bearer scheme");
        }

        if (!_tokenHashes.TryGetValue(tenant, out var expected))
        {
            return TenantResolution.Refused(ExportErrorKind.Unauthenticated, $"tenant '{tenant}' has no token configured; its requests are refused");
        }

        var given = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[BearerPrefix.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, expected)
            ? TenantResolution.Of(tenant)
            : TenantResolution.Refused(ExportErrorKind.Unauthenticated, $"the bearer token is not valid for tenant '{tenant}'");
    }
}
