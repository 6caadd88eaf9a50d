using BeTrace.Grains.Interfaces.Violations;

namespace BeTrace.Console.Violations;

/// <summary>A violation read for verification: its fields by span attribute name, its signature, and where it was found.</summary>
public sealed record SignedViolation(string Where, IReadOnlyDictionary<string, string> Fields, string? Signature)
{
    public string Field(string attribute) => Fields.TryGetValue(attribute, out var value) ? value : "";

    public VerifyResult Verify(string key)
    {
        if (string.IsNullOrEmpty(Signature))
        {
            return new VerifyResult(false, "unsigned", "the violation carries no signature");
        }
        if (ViolationAttributes.Signed.FirstOrDefault(name => !Fields.ContainsKey(name)) is { } missing)
        {
            return new VerifyResult(false, "missing_field", $"the signed field {missing} is missing");
        }
        return ViolationSignature.Verify(Fields, Signature, key)
            ? new VerifyResult(true, "verified", "signature matches")
            : new VerifyResult(false, "mismatch", "signature does not match: a signed field was changed, or it was signed with another key");
    }
}

/// <summary>The verdict on one violation: <see cref="Code"/> is a stable word for scripts.</summary>
public sealed record VerifyResult(bool Ok, string Code, string Detail);
