using BeTrace.Grains.Interfaces.Rules;
using BeTrace.Grains.Interfaces.Violations;
using Xunit;

namespace BeTrace.Grains.Tests.Violations;

public sealed class ViolationSignatureTests
{
    private const string Key = "betrace-audit-key";

    /// <summary>The worked example of docs/violations.md.</summary>
    internal static ViolationRecord Example() => new(
        ViolationId: "6f1c2d3e-0000-4000-8000-000000000001",
        Tenant: "acme",
        RuleId: "pii-requires-audit",
        RuleName: "PII access requires an audit log",
        Severity: Severity.High,
        Message: "pii.access without audit.log\nsee C:\\runbooks\\pii.md",
        TraceId: "4bf92f3577b34da6a3ce929d0e0e4736",
        WitnessSpanId: "00f067aa0ba902b7",
        NeverWitnessSpanId: null,
        TraceComplete: true,
        ComplianceFramework: "SOC2",
        ComplianceControl: "CC6.1",
        DetectedAt: new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Signature: string.Empty);

    /// <summary>Computed once with this code and checked independently with openssl (see docs/violations.md).</summary>
    internal const string ExampleSignature = "4d23b25e21011da0149f49125f756b1a8a7f75f59145e3808b0fb5abcf1b4fd3";

    [Fact]
    public void Canonical_form_is_the_sorted_escaped_lines()
    {
        var canonical = ViolationSignature.Canonical(ViolationSignature.Fields(Example()));

        const string expected =
            "betrace.violation.id=6f1c2d3e-0000-4000-8000-000000000001\n" +
            "betrace.violation.message=pii.access without audit.log\\nsee C:\\\\runbooks\\\\pii.md\n" +
            "betrace.violation.rule_id=pii-requires-audit\n" +
            "betrace.violation.rule_name=PII access requires an audit log\n" +
            "betrace.violation.severity=HIGH\n" +
            "betrace.violation.tenant=acme\n" +
            "betrace.violation.trace_id=4bf92f3577b34da6a3ce929d0e0e4736\n";
        Assert.Equal(expected, canonical);
    }

    [Fact]
    public void Signed_names_are_in_ordinal_order_and_are_the_betrace_violation_strings()
    {
        var sorted = ViolationAttributes.Signed.OrderBy(name => name, StringComparer.Ordinal).ToArray();
        Assert.Equal(sorted, ViolationAttributes.Signed);
        Assert.All(ViolationAttributes.Signed, name => Assert.StartsWith("betrace.violation.", name, StringComparison.Ordinal));
        Assert.DoesNotContain(ViolationAttributes.Signature, ViolationAttributes.Signed);
        Assert.Equal(7, ViolationAttributes.Signed.Count);
    }

    [Fact]
    public void Signature_of_the_worked_example_is_the_documented_one()
    {
        var signature = ViolationSignature.Sign(Example(), Key);

        Assert.Equal(ExampleSignature, signature);
        Assert.Matches("^[0-9a-f]{64}$", signature);
    }

    [Fact]
    public void Sign_then_verify_round_trips()
    {
        var fields = ViolationSignature.Fields(Example());
        var signature = ViolationSignature.Sign(fields, Key);

        Assert.True(ViolationSignature.Verify(fields, signature, Key));
        Assert.True(ViolationSignature.Verify(fields, signature.ToUpperInvariant(), Key));
        Assert.False(ViolationSignature.Verify(fields, signature, Key + "x"));
        Assert.False(ViolationSignature.Verify(fields, signature, string.Empty));
    }

    [Theory]
    [InlineData(ViolationAttributes.Id)]
    [InlineData(ViolationAttributes.RuleId)]
    [InlineData(ViolationAttributes.RuleName)]
    [InlineData(ViolationAttributes.Severity)]
    [InlineData(ViolationAttributes.Message)]
    [InlineData(ViolationAttributes.TraceId)]
    [InlineData(ViolationAttributes.Tenant)]
    public void Tampering_with_any_signed_field_fails_verification(string name)
    {
        var fields = ViolationSignature.Fields(Example());
        var signature = ViolationSignature.Sign(fields, Key);

        var tampered = new Dictionary<string, string>(fields, StringComparer.Ordinal) { [name] = fields[name] + "x" };
        Assert.False(ViolationSignature.Verify(tampered, signature, Key));

        var missing = new Dictionary<string, string>(fields, StringComparer.Ordinal);
        missing.Remove(name);
        Assert.False(ViolationSignature.Verify(missing, signature, Key));
        Assert.Throws<ArgumentException>(() => ViolationSignature.Canonical(missing));
    }

    [Fact]
    public void Escaping_keeps_the_form_unambiguous()
    {
        // Without escaping, a message ending in "\nbetrace.violation.rule_id=..." could imitate another field.
        var a = new Dictionary<string, string>(ViolationSignature.Fields(Example()), StringComparer.Ordinal)
        {
            [ViolationAttributes.Message] = "a\\nb",
        };
        var b = new Dictionary<string, string>(a, StringComparer.Ordinal)
        {
            [ViolationAttributes.Message] = "a\nb",
        };

        Assert.NotEqual(ViolationSignature.Canonical(a), ViolationSignature.Canonical(b));
        Assert.NotEqual(ViolationSignature.Sign(a, Key), ViolationSignature.Sign(b, Key));
        Assert.Contains("betrace.violation.message=a\\\\nb\n", ViolationSignature.Canonical(a), StringComparison.Ordinal);
        Assert.Contains("betrace.violation.message=a\\nb\n", ViolationSignature.Canonical(b), StringComparison.Ordinal);
    }

    [Fact]
    public void Extra_attributes_are_ignored()
    {
        var fields = ViolationSignature.Fields(Example());
        var signature = ViolationSignature.Sign(fields, Key);
        var attributes = new Dictionary<string, string>(fields, StringComparer.Ordinal)
        {
            [ViolationAttributes.Signature] = signature,
            [ViolationAttributes.ComplianceFramework] = "SOC2",
            ["service.name"] = "checkout",
            ["betrace.violation.extra"] = "not signed",
        };

        Assert.True(ViolationSignature.Verify(attributes, signature, Key));
        Assert.Equal(ViolationSignature.Canonical(fields), ViolationSignature.Canonical(attributes));
    }

    [Theory]
    [InlineData("")]
    [InlineData("zz")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef00")]
    public void Malformed_signatures_fail(string signature)
    {
        Assert.False(ViolationSignature.Verify(ViolationSignature.Fields(Example()), signature, Key));
    }

    [Theory]
    [InlineData(Severity.Low, "LOW")]
    [InlineData(Severity.Medium, "MEDIUM")]
    [InlineData(Severity.High, "HIGH")]
    [InlineData(Severity.Critical, "CRITICAL")]
    public void Severity_is_written_in_upper_case(Severity severity, string expected)
    {
        var fields = ViolationSignature.Fields(Example() with { Severity = severity });
        Assert.Equal(expected, fields[ViolationAttributes.Severity]);
    }

    [Fact]
    public void Fields_hold_exactly_the_signed_names()
    {
        var fields = ViolationSignature.Fields(Example());
        Assert.Equal(
            ViolationAttributes.Signed.OrderBy(n => n, StringComparer.Ordinal),
            fields.Keys.OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void Empty_key_is_refused_when_signing()
    {
        Assert.Throws<ArgumentException>(() => ViolationSignature.Sign(Example(), string.Empty));
    }
}
