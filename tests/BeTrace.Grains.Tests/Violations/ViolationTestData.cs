using System.Diagnostics;
using BeTrace.Grains.Interfaces.Rules;
using BeTrace.Grains.Interfaces.Violations;
using BeTrace.Grains.Violations;

namespace BeTrace.Grains.Tests.Violations;

/// <summary>Violations and exporter options shared by the violation export tests.</summary>
internal static class ViolationTestData
{
    public const string Key = "betrace-test-signing-key";

    /// <summary>Generous: the tests must pass on a loaded two-core machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static ViolationRecord NewViolation(
        string? witnessSpanId = null,
        string? neverWitnessSpanId = null,
        bool complete = true,
        string? framework = "SOC2",
        string? control = "CC6.1") => new(
            ViolationId: Guid.NewGuid().ToString(),
            Tenant: "acme",
            RuleId: "pii-requires-audit",
            RuleName: "PII access requires an audit log",
            Severity: Severity.Critical,
            Message: "pii.access without audit.log\nsecond line with a \\ backslash",
            TraceId: ActivityTraceId.CreateRandom().ToHexString(),
            WitnessSpanId: witnessSpanId,
            NeverWitnessSpanId: neverWitnessSpanId,
            TraceComplete: complete,
            ComplianceFramework: framework,
            ComplianceControl: control,
            DetectedAt: new DateTimeOffset(2025, 6, 1, 12, 30, 45, 123, TimeSpan.Zero).AddTicks(4567),
            Signature: string.Empty);

    public static string NewSpanId() => ActivitySpanId.CreateRandom().ToHexString();

    public static ViolationExportOptions Options(Uri endpoint, string protocol) => new()
    {
        Endpoint = endpoint,
        Protocol = protocol,
        SigningKey = Key,
        RetryInitialDelay = TimeSpan.FromMilliseconds(100),
        RetryMaxDelay = TimeSpan.FromMilliseconds(800),
        ExportTimeout = TimeSpan.FromSeconds(10),
        ShutdownTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Polls <paramref name="condition"/> every 25 ms until it holds, or throws after <see cref="Patience"/>.</summary>
    public static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Timed out after {Patience} waiting for: {what}");
            }

            await Task.Delay(25);
        }
    }
}
