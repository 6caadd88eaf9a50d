using BeTrace.Grains.Interfaces.Violations;
using BeTrace.Testing;

namespace BeTrace.EndToEnd.Tests;

/// <summary>Checks a received violation span against the contract of docs/violations.md.</summary>
internal static class ViolationAssertions
{
    public static void AssertViolation(ReceivedSpan span, string traceId, string witnessSpanId, string ruleId, string severity,
        string tenant, string signingKey)
    {
        Assert.Equal("betrace.violation", span.Span.Name);
        Assert.Equal(BeTrace.Gateway.Otlp.Trace.Span.Types.SpanKind.Internal, span.Span.Kind);
        Assert.Equal(traceId, span.TraceId);
        Assert.Equal(witnessSpanId, span.ParentSpanId);
        Assert.Equal("betrace", span.ResourceAttribute("service.name"));
        Assert.True(span.Attributes[ViolationAttributes.Violation].BoolValue);
        var attributes = span.StringAttributes;
        Assert.Equal(ruleId, attributes[ViolationAttributes.RuleId]);
        Assert.Equal(severity, attributes[ViolationAttributes.Severity]);
        Assert.Equal(traceId, attributes[ViolationAttributes.TraceId]);
        Assert.Equal(tenant, attributes[ViolationAttributes.Tenant]);
        Assert.False(string.IsNullOrEmpty(attributes[ViolationAttributes.Id]));
        Assert.False(string.IsNullOrEmpty(attributes[ViolationAttributes.RuleName]));
        Assert.False(string.IsNullOrEmpty(attributes[ViolationAttributes.Message]));
        Assert.True(span.Attributes[ViolationAttributes.TraceComplete].BoolValue);
        Assert.True(ViolationSignature.Verify(attributes, attributes[ViolationAttributes.Signature], signingKey),
            "the signature must verify with the silo's key");
    }

    /// <summary>Waits until the receiver holds <paramref name="count"/> violations for the trace, then a little longer to catch extras.</summary>
    public static async Task<IReadOnlyList<ReceivedSpan>> ExactlyFor(TestOtlpReceiver receiver, string traceId, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while (receiver.Spans.Count(s => s.TraceId == traceId) < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
        var spans = receiver.Spans.Where(s => s.TraceId == traceId).ToList();
        Assert.True(spans.Count == count, $"expected {count} violation spans for trace {traceId}, got {spans.Count}");
        return spans;
    }
}
