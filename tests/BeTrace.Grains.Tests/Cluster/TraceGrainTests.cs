using BeTrace.Grains.Interfaces.Rules;
using BeTrace.Grains.Interfaces.Spans;

namespace BeTrace.Grains.Tests.Cluster;

/// <summary>Trace grains on a 3-silo cluster, driven by the fake clock.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TraceGrainTests(ClusterFixture fixture) : ClusterTestBase
{
    private async Task<string> TenantWith(params RuleDraft[] rules)
    {
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..8];
        foreach (var rule in rules)
        {
            var change = await fixture.Grains.GetGrain<IRuleRegistryGrain>(tenant).Create(rule);
            Assert.True(change.Succeeded, change.Error?.ToString());
        }
        return tenant;
    }

    [Fact]
    public async Task A_trace_is_evaluated_once_it_has_been_idle_not_per_span()
    {
        var tenant = await TenantWith(Rule("fraud", "when { payment.where(amount > 1000) } always { fraud_check }"));
        var traceId = NewTraceId();
        var trace = Trace(fixture.Grains, tenant, traceId);

        await trace.Append(Batch(Span(1, "checkout")));
        fixture.Clock.Advance(TimeSpan.FromSeconds(3));
        await trace.Append(Batch(Span(2, "payment", 1, ("amount", WireValue.Of(5000L)))));
        fixture.Clock.Advance(TimeSpan.FromSeconds(4));
        var state = await trace.Describe();
        Assert.False(state.Evaluated);
        Assert.Equal(2, state.Spans);

        fixture.Clock.Advance(TimeSpan.FromSeconds(1.5));
        await WaitUntil(() => fixture.Sink.ForTrace(traceId).Count == 1, "the violation");
        var violation = Assert.Single(fixture.Sink.ForTrace(traceId));
        Assert.Equal("fraud", violation.RuleId);
        Assert.Equal(tenant, violation.Tenant);
        Assert.Equal("0000000000000002", violation.WitnessSpanId);
        Assert.True(violation.TraceComplete);
        Assert.Equal(Severity.High, violation.Severity);
        Assert.Equal(1, (await trace.Describe()).Evaluations);
    }

    [Fact]
    public async Task A_clean_trace_yields_no_violation()
    {
        var tenant = await TenantWith(Rule("fraud", "when { payment.where(amount > 1000) } always { fraud_check }"));
        var traceId = NewTraceId();
        var trace = Trace(fixture.Grains, tenant, traceId);
        await trace.Append(Batch(Span(1, "payment", 0, ("amount", WireValue.Of(5000L))), Span(2, "fraud_check", 1)));

        fixture.Clock.Advance(TimeSpan.FromSeconds(6));
        await WaitUntil(async () => (await trace.Describe()).Evaluated, "the evaluation");
        Assert.Empty(fixture.Sink.ForTrace(traceId));
    }

    [Fact]
    public async Task Spans_are_deduplicated_by_span_id_so_a_retried_export_is_harmless()
    {
        var tenant = await TenantWith(Rule("detect", "when { payment }"));
        var traceId = NewTraceId();
        var trace = Trace(fixture.Grains, tenant, traceId);
        var batch = Batch(Span(1, "payment"), Span(2, "db", 1));

        var first = await trace.Append(batch);
        var retry = await trace.Append(batch);
        Assert.Equal((2, 0, 0), (first.Accepted, first.Duplicates, first.Dropped));
        Assert.Equal((0, 2, 0), (retry.Accepted, retry.Duplicates, retry.Dropped));

        fixture.Clock.Advance(TimeSpan.FromSeconds(6));
        await WaitUntil(() => fixture.Sink.ForTrace(traceId).Count == 1, "the violation");
        Assert.Equal(2, (await trace.Describe()).Spans);
    }

    [Fact]
    public async Task Spans_beyond_the_cap_are_dropped_and_counted_and_the_trace_is_evaluated_at_the_cap()
    {
        var tenant = await TenantWith(Rule("many", "when { count(work) > 10 }"));
        var traceId = NewTraceId();
        var trace = Trace(fixture.Grains, tenant, traceId);
        var spans = Enumerable.Range(1, ClusterFixture.MaxSpans + 7).Select(i => Span((ulong)i, "work")).ToArray();

        var result = await trace.Append(Batch(spans));

        Assert.Equal(ClusterFixture.MaxSpans, result.Accepted);
        Assert.Equal(7, result.Dropped);
        var state = await trace.Describe();
        Assert.True(state.Evaluated, "a trace that reaches the span cap is evaluated without waiting for the idle timer");
        Assert.Equal(7, state.Dropped);
        await WaitUntil(() => fixture.Sink.ForTrace(traceId).Count == 1, "the violation");
    }

    [Fact]
    public async Task A_trace_that_never_goes_idle_is_evaluated_at_its_maximum_age()
    {
        var tenant = await TenantWith(Rule("detect", "when { heartbeat }"));
        var traceId = NewTraceId();
        var trace = Trace(fixture.Grains, tenant, traceId);
        var maxAge = ClusterFixture.TraceOptions.MaxTraceAge;
        var step = TimeSpan.FromSeconds(4);
        ulong id = 0;
        for (var elapsed = TimeSpan.Zero; elapsed + step < maxAge; elapsed += step)
        {
            await trace.Append(Batch(Span(++id, "heartbeat")));
            fixture.Clock.Advance(step);
            Assert.False((await trace.Describe()).Evaluated);
        }
        await trace.Append(Batch(Span(++id, "heartbeat")));
        fixture.Clock.Advance(step);

        await WaitUntil(() => fixture.Sink.ForTrace(traceId).Count == 1, "the evaluation at the maximum age");
    }

    [Fact]
    public async Task Late_spans_cause_a_re_evaluation_and_no_rule_is_reported_twice()
    {
        var tenant = await TenantWith(
            Rule("payment-seen", "when { payment }"),
            Rule("refund-seen", "when { refund }"));
        var traceId = NewTraceId();
        var trace = Trace(fixture.Grains, tenant, traceId);
        await trace.Append(Batch(Span(1, "payment")));
        fixture.Clock.Advance(TimeSpan.FromSeconds(6));
        await WaitUntil(() => fixture.Sink.ForTrace(traceId).Count == 1, "the first violation");

        fixture.Clock.Advance(TimeSpan.FromSeconds(10));
        await trace.Append(Batch(Span(2, "refund", 1), Span(3, "payment", 1)));
        fixture.Clock.Advance(TimeSpan.FromSeconds(6));
        await WaitUntil(() => fixture.Sink.ForTrace(traceId).Count == 2, "the late violation");

        Assert.Equal(["payment-seen", "refund-seen"], fixture.Sink.ForTrace(traceId).Select(v => v.RuleId).Order().ToArray());
        var state = await trace.Describe();
        Assert.Equal(2, state.Evaluations);
        Assert.Equal(3, state.Spans);
    }

    [Fact]
    public async Task A_violation_of_an_incomplete_trace_is_marked_incomplete()
    {
        var tenant = await TenantWith(Rule("detect", "when { payment }"));
        var traceId = NewTraceId();
        // The parent 99 never arrives: a part of the trace was lost.
        await Trace(fixture.Grains, tenant, traceId).Append(Batch(Span(1, "payment", parent: 99)));
        fixture.Clock.Advance(TimeSpan.FromSeconds(6));
        await WaitUntil(() => fixture.Sink.ForTrace(traceId).Count == 1, "the violation");
        Assert.False(fixture.Sink.ForTrace(traceId)[0].TraceComplete);
    }

    [Fact]
    public async Task Violations_are_signed_over_their_fields()
    {
        var tenant = await TenantWith(Rule("detect", "when { payment }"));
        var traceId = NewTraceId();
        await Trace(fixture.Grains, tenant, traceId).Append(Batch(Span(1, "payment")));
        fixture.Clock.Advance(TimeSpan.FromSeconds(6));
        await WaitUntil(() => fixture.Sink.ForTrace(traceId).Count == 1, "the violation");

        var violation = fixture.Sink.ForTrace(traceId)[0];
        var fields = Interfaces.Violations.ViolationSignature.Fields(violation);
        Assert.True(Interfaces.Violations.ViolationSignature.Verify(fields, violation.Signature, "test-signing-key"));
        Assert.False(Interfaces.Violations.ViolationSignature.Verify(fields, violation.Signature, "another-key"));
    }
}
