using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.EndToEnd.Tests;

/// <summary>The rules the end-to-end tests load, and the traces that violate them.</summary>
internal static class Rules
{
    public static readonly RuleDraft Fraud = new("fraud-check", "Payments over 1000 are fraud-checked",
        "when { payment.where(amount > 1000) } always { fraud_check }", Severity.High,
        Description: "PCI evidence", ComplianceFramework: "PCI DSS", ComplianceControl: "10.2");

    public static readonly RuleDraft FailedCheckout = new("failed-checkout", "Failed checkouts are detected",
        "when { checkout.where(span:status == ERROR) }", Severity.Medium);

    public static async Task Load(IGrainFactory grains, string tenant)
    {
        var registry = grains.GetGrain<IRuleRegistryGrain>(tenant);
        foreach (var rule in new[] { Fraud, FailedCheckout })
        {
            var change = await registry.Create(rule);
            Assert.True(change.Succeeded, change.Error?.ToString());
        }
    }
}
