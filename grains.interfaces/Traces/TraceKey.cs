using System.Globalization;

namespace BeTrace.Grains.Interfaces.Traces;

/// <summary>
/// The key of a trace grain: the tenant and the 16-byte trace id, written "tenant/32-hex-digits".
/// Tenants cannot contain '/', so the key splits unambiguously.
/// </summary>
public readonly record struct TraceKey(string Tenant, string TraceIdHex)
{
    public override string ToString() => $"{Tenant}/{TraceIdHex}";

    public static TraceKey Parse(string key)
    {
        var slash = key.LastIndexOf('/');
        if (slash <= 0 || key.Length - slash - 1 != 32)
        {
            throw new FormatException($"not a trace grain key: '{key}' (expected tenant/32 hex digits)");
        }
        return new TraceKey(key[..slash], key[(slash + 1)..]);
    }

    public static string Hex(ReadOnlySpan<byte> id) => Convert.ToHexStringLower(id);

    public static string SpanHex(ulong spanId) => spanId.ToString("x16", CultureInfo.InvariantCulture);
}
