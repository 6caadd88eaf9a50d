using System.Security.Cryptography;
using System.Text;
using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Grains.Interfaces.Violations;

/// <summary>
/// HMAC-SHA256 signature of a violation, verifiable by an auditor (docs/violations.md).
/// <para>
/// Signed fields: exactly the names in <see cref="ViolationAttributes.Signed"/>. Canonical form: for each signed
/// field in ordinal order of its name, the UTF-8 bytes of <c>name=value\n</c>, where in the value a backslash is
/// written <c>\\</c> and a line feed <c>\n</c> (two characters), so no value can imitate a field boundary.
/// Signature: lowercase hex of HMAC-SHA256(key = UTF-8 bytes of the secret, message = canonical form).
/// </para>
/// </summary>
public static class ViolationSignature
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// The canonical form of the signed fields of <paramref name="fields"/>. Other keys are ignored.
    /// </summary>
    /// <exception cref="ArgumentException">A signed field is missing (or null).</exception>
    public static string Canonical(IReadOnlyDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (!TryCanonical(fields, out var canonical, out var missing))
        {
            throw new ArgumentException($"The signed field '{missing}' is missing.", nameof(fields));
        }

        return canonical;
    }

    /// <summary>Lowercase hex HMAC-SHA256 of <see cref="Canonical"/> with the UTF-8 bytes of <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">A signed field is missing, or the key is empty.</exception>
    public static string Sign(IReadOnlyDictionary<string, string> fields, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return Convert.ToHexStringLower(Mac(Canonical(fields), key));
    }

    /// <summary>Signs the fields of a violation record: <c>Sign(Fields(violation), key)</c>.</summary>
    public static string Sign(ViolationRecord violation, string key) => Sign(Fields(violation), key);

    /// <summary>
    /// True when <paramref name="signature"/> is the signature of the signed fields found in
    /// <paramref name="attributes"/> (other keys, such as the signature attribute itself, are ignored).
    /// A missing signed field, an empty key or a signature that is not 64 hex digits fails. The comparison of the
    /// MAC bytes is constant-time.
    /// </summary>
    public static bool Verify(IReadOnlyDictionary<string, string> attributes, string signature, string key)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (string.IsNullOrEmpty(key) || signature is null || signature.Length != 64)
        {
            return false;
        }

        if (!TryCanonical(attributes, out var canonical, out _))
        {
            return false;
        }

        Span<byte> given = stackalloc byte[32];
        if (Convert.FromHexString(signature, given, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != 32)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Mac(canonical, key), given);
    }

    /// <summary>The signed fields of a violation record, keyed by attribute name (severity in upper case).</summary>
    public static IReadOnlyDictionary<string, string> Fields(ViolationRecord violation)
    {
        ArgumentNullException.ThrowIfNull(violation);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ViolationAttributes.Id] = violation.ViolationId,
            [ViolationAttributes.RuleId] = violation.RuleId,
            [ViolationAttributes.RuleName] = violation.RuleName,
            [ViolationAttributes.Severity] = SeverityName(violation.Severity),
            [ViolationAttributes.Message] = violation.Message,
            [ViolationAttributes.TraceId] = violation.TraceId,
            [ViolationAttributes.Tenant] = violation.Tenant,
        };
    }

    /// <summary>The contract's spelling of a severity: LOW, MEDIUM, HIGH or CRITICAL.</summary>
    public static string SeverityName(Severity severity) => severity switch
    {
        Severity.Low => "LOW",
        Severity.Medium => "MEDIUM",
        Severity.High => "HIGH",
        Severity.Critical => "CRITICAL",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, "Unknown severity."),
    };

    private static bool TryCanonical(IReadOnlyDictionary<string, string> fields, out string canonical, out string? missing)
    {
        var builder = new StringBuilder(256);
        foreach (var name in ViolationAttributes.Signed)
        {
            if (!fields.TryGetValue(name, out var value) || value is null)
            {
                canonical = string.Empty;
                missing = name;
                return false;
            }

            builder.Append(name).Append('=');
            foreach (var c in value)
            {
                switch (c)
                {
                    case '\\':
                        builder.Append('\\').Append('\\');
                        break;
                    case '\n':
                        builder.Append('\\').Append('n');
                        break;
                    default:
                        builder.Append(c);
                        break;
                }
            }

            builder.Append('\n');
        }

        canonical = builder.ToString();
        missing = null;
        return true;
    }

    private static byte[] Mac(string canonical, string key) =>
        HMACSHA256.HashData(Utf8.GetBytes(key), Utf8.GetBytes(canonical));
}
