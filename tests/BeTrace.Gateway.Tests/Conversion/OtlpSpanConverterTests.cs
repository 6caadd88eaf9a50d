using BeTrace.Gateway.Conversion;
using BeTrace.Gateway.Otlp.Collector.Trace;
using BeTrace.Gateway.Otlp.Common;
using BeTrace.Gateway.Otlp.Trace;
using BeTrace.Gateway.Tests.Support;
using BeTrace.Grains.Interfaces.Spans;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using static BeTrace.Gateway.Tests.Support.TestData;

namespace BeTrace.Gateway.Tests.Conversion;

public sealed class OtlpSpanConverterTests
{
    private static OtlpSpanConverter Converter(int maxAttributes = 128, int maxSpans = 100_000) =>
        new(Options.Create(new GatewayOptions { MaxAttributesPerSpan = maxAttributes, MaxSpansPerRequest = maxSpans }));

    private static ConversionResult Convert(params Span[] spans) =>
        Converter().Convert(Request(Resource("svc", spans)), "acme");

    [Fact]
    public void BeTraces_own_violation_spans_are_ignored_so_violations_never_feed_back_into_rules()
    {
        var trace = NewTraceId();
        var request = Request(Resource("betrace", NewSpan(trace, name: "betrace.violation")), Resource("shop", NewSpan(trace, name: "payment")));
        request.ResourceSpans[0].ScopeSpans[0].Scope = new InstrumentationScope { Name = BeTrace.Grains.Interfaces.Violations.ViolationAttributes.InstrumentationScope };

        var result = Converter().Convert(request, "acme");

        Assert.Equal(0, result.RejectedSpans);
        Assert.Equal(["payment"], Assert.Single(result.Groups).Spans.Select(span => span.Name).ToArray());
    }

    [Fact]
    public void Valid_spans_are_grouped_per_trace_in_order_with_the_tenant()
    {
        var traceA = NewTraceId();
        var traceB = NewTraceId();
        var request = Request(
            Resource("frontend", [NewSpan(traceA, name: "a1"), NewSpan(traceB, name: "b1")], [NewSpan(traceA, name: "a2")]),
            Resource("backend", NewSpan(traceB, name: "b2"), NewSpan(traceA, name: "a3")));

        var result = Converter().Convert(request, "acme");

        Assert.Null(result.Refusal);
        Assert.Equal(5, result.TotalSpans);
        Assert.Equal(5, result.AcceptedSpans);
        Assert.Equal(0, result.RejectedSpans);
        Assert.Collection(
            result.Groups,
            group =>
            {
                Assert.Equal("acme", group.Tenant);
                Assert.Equal(Hex(traceA), group.TraceIdHex);
                Assert.Equal($"acme/{Hex(traceA)}", group.GrainKey);
                Assert.Equal(["a1", "a2", "a3"], group.Spans.Select(s => s.Name));
            },
            group =>
            {
                Assert.Equal(Hex(traceB), group.TraceIdHex);
                Assert.Equal(["b1", "b2"], group.Spans.Select(s => s.Name));
            });
    }

    [Fact]
    public void Spans_of_one_resource_spans_share_one_wire_resource()
    {
        var trace = NewTraceId();
        var request = Request(
            Resource("frontend", [NewSpan(trace)], [NewSpan(trace)]),
            Resource("backend", NewSpan(trace)));

        var spans = Converter().Convert(request, "acme").Groups.Single().Spans;

        Assert.Same(spans[0].Resource, spans[1].Resource);
        Assert.NotSame(spans[0].Resource, spans[2].Resource);
        Assert.Equal("frontend", spans[0].Resource.Attributes.Single(a => a.Key == "service.name").Value.Text);
        Assert.Equal("backend", spans[2].Resource.Attributes.Single(a => a.Key == "service.name").Value.Text);
    }

    [Fact]
    public void A_span_is_converted_field_by_field()
    {
        var trace = NewTraceId();
        var span = NewSpan(trace, spanId: ByteString.CopyFrom(0, 0, 0, 0, 0, 0, 1, 2), parentSpanId: ByteString.CopyFrom(0x10, 0, 0, 0, 0, 0, 0, 0xff), name: "GET /pay");
        span.Kind = Span.Types.SpanKind.Client;
        span.Status = new Status { Code = Status.Types.StatusCode.Error, Message = "boom" };
        span.Attributes.Add(Attribute("http.method", "GET"));

        var wire = Convert(span).Groups.Single().Spans.Single();

        Assert.Equal(0x0102UL, wire.SpanId);
        Assert.Equal(0x10000000000000ffUL, wire.ParentSpanId);
        Assert.Equal("GET /pay", wire.Name);
        Assert.Equal(3, wire.Kind);
        Assert.Equal(2, wire.Status);
        Assert.Equal(1_700_000_000_000_000_000UL, wire.StartUnixNanos);
        Assert.Equal(1_700_000_000_500_000_000UL, wire.EndUnixNanos);
        Assert.Equal(WireValue.Of("GET"), wire.Attributes.Single().Value);
    }

    [Fact]
    public void An_empty_or_all_zero_parent_span_id_is_a_root()
    {
        var trace = NewTraceId();
        var result = Convert(NewSpan(trace), NewSpan(trace, parentSpanId: Bytes(8, 0)));

        Assert.Equal(2, result.AcceptedSpans);
        Assert.All(result.Groups.Single().Spans, span => Assert.Equal(0UL, span.ParentSpanId));
    }

    public static TheoryData<string, SpanRejectReason, string> InvalidSpans => new()
    {
        { "trace id 4 bytes", SpanRejectReason.InvalidTraceId, "trace_id is 4 bytes, expected 16" },
        { "trace id empty", SpanRejectReason.InvalidTraceId, "trace_id is 0 bytes, expected 16" },
        { "trace id 17 bytes", SpanRejectReason.InvalidTraceId, "trace_id is 17 bytes, expected 16" },
        { "trace id zero", SpanRejectReason.ZeroTraceId, "trace_id is all zero" },
        { "span id 7 bytes", SpanRejectReason.InvalidSpanId, "span_id is 7 bytes, expected 8" },
        { "span id empty", SpanRejectReason.InvalidSpanId, "span_id is 0 bytes, expected 8" },
        { "span id zero", SpanRejectReason.ZeroSpanId, "span_id is all zero" },
        { "parent 5 bytes", SpanRejectReason.InvalidParentSpanId, "parent_span_id is 5 bytes, expected 0 (root) or 8" },
        { "3 attributes", SpanRejectReason.TooManyAttributes, "span has 3 attributes, the limit is 2" },
    };

    [Theory]
    [MemberData(nameof(InvalidSpans))]
    public void An_invalid_span_is_rejected_with_its_position_and_reason(string input, SpanRejectReason reason, string message)
    {
        var span = input switch
        {
            "trace id 4 bytes" => NewSpan(Bytes(4)),
            "trace id empty" => NewSpan(ByteString.Empty),
            "trace id 17 bytes" => NewSpan(Bytes(17)),
            "trace id zero" => NewSpan(Bytes(16, 0)),
            "span id 7 bytes" => NewSpan(NewTraceId(), spanId: Bytes(7)),
            "span id empty" => NewSpan(NewTraceId(), spanId: ByteString.Empty),
            "span id zero" => NewSpan(NewTraceId(), spanId: Bytes(8, 0)),
            "parent 5 bytes" => NewSpan(NewTraceId(), parentSpanId: Bytes(5)),
            _ => NewSpan(NewTraceId(), attributes: 3),
        };
        var request = Request(Resource("svc", [NewSpan(NewTraceId())], [NewSpan(NewTraceId()), span]));

        var result = Converter(maxAttributes: 2).Convert(request, "acme");

        Assert.Equal(3, result.TotalSpans);
        Assert.Equal(2, result.AcceptedSpans);
        Assert.Equal(1, result.RejectedSpans);
        Assert.Equal(1, result.RejectedByReason[reason]);
        Assert.Equal([$"resource_spans[0].scope_spans[1].spans[1]: {message}"], result.Reasons);
        Assert.Equal(2, result.Groups.Count);
    }

    [Fact]
    public void Exactly_the_attribute_limit_is_accepted()
    {
        var result = Converter(maxAttributes: 3).Convert(Request(Resource("svc", NewSpan(NewTraceId(), attributes: 3))), "acme");

        Assert.Equal(1, result.AcceptedSpans);
    }

    [Fact]
    public void Mixed_valid_and_invalid_spans_keep_every_valid_one_with_exact_counts()
    {
        var trace = NewTraceId();
        var other = NewTraceId();
        var request = Request(
            Resource("a", NewSpan(trace), NewSpan(Bytes(4)), NewSpan(trace, spanId: Bytes(8, 0))),
            Resource("b", [NewSpan(Bytes(16, 0))], [NewSpan(trace), NewSpan(other), NewSpan(NewTraceId(), spanId: Bytes(3))]));

        var result = Converter().Convert(request, "acme");

        Assert.Equal(7, result.TotalSpans);
        Assert.Equal(3, result.AcceptedSpans);
        Assert.Equal(4, result.RejectedSpans);
        Assert.Equal([Hex(trace), Hex(other)], result.Groups.Select(g => g.TraceIdHex));
        Assert.Equal([2, 1], result.Groups.Select(g => g.Spans.Length));
        Assert.Equal(1, result.RejectedByReason[SpanRejectReason.InvalidTraceId]);
        Assert.Equal(1, result.RejectedByReason[SpanRejectReason.ZeroSpanId]);
        Assert.Equal(1, result.RejectedByReason[SpanRejectReason.ZeroTraceId]);
        Assert.Equal(1, result.RejectedByReason[SpanRejectReason.InvalidSpanId]);
        Assert.Equal(
            "4 of 7 spans were rejected: resource_spans[0].scope_spans[0].spans[1]: trace_id is 4 bytes, expected 16; "
            + "resource_spans[0].scope_spans[0].spans[2]: span_id is all zero; "
            + "resource_spans[1].scope_spans[0].spans[0]: trace_id is all zero; "
            + "resource_spans[1].scope_spans[1].spans[2]: span_id is 3 bytes, expected 8",
            result.DescribeRejections());
    }

    [Fact]
    public void Only_the_first_reasons_are_kept_and_the_rest_are_counted()
    {
        var spans = Enumerable.Range(0, 8).Select(_ => NewSpan(Bytes(4))).ToArray();

        var result = Convert(spans);

        Assert.Equal(8, result.RejectedSpans);
        Assert.Equal(OtlpSpanConverter.MaxReasons, result.Reasons.Count);
        Assert.Empty(result.Groups);
        Assert.StartsWith("all 8 spans were rejected: resource_spans[0].scope_spans[0].spans[0]: trace_id is 4 bytes", result.DescribeRejections());
        Assert.EndsWith("(and 3 more)", result.DescribeRejections());
    }

    [Fact]
    public void A_request_without_spans_converts_to_nothing()
    {
        var empty = Converter().Convert(new ExportTraceServiceRequest(), "acme");
        var noSpans = Converter().Convert(Request(Resource("svc", Array.Empty<Span>())), "acme");

        Assert.Equal(0, empty.TotalSpans);
        Assert.Empty(empty.Groups);
        Assert.Null(empty.Refusal);
        Assert.Equal(0, noSpans.TotalSpans);
    }

    [Fact]
    public void A_request_over_the_span_limit_is_refused_as_a_whole()
    {
        var trace = NewTraceId();
        var result = Converter(maxSpans: 2).Convert(Request(Resource("svc", NewSpan(trace), NewSpan(trace), NewSpan(trace))), "acme");

        Assert.Equal("the request has 3 spans, the limit is 2: send smaller batches", result.Refusal);
        Assert.Empty(result.Groups);
    }

    [Fact]
    public void Decode_errors_reject_their_span_alone()
    {
        var bad = NewSpan(NewTraceId());
        var errors = new SpanDecodeErrors();
        errors.Add(bad, new SpanDecodeError(SpanRejectReason.InvalidTraceId, "trace_id is not a hex string"));

        var result = Converter().Convert(Request(Resource("svc", NewSpan(NewTraceId()), bad)), "acme", errors);

        Assert.Equal(1, result.AcceptedSpans);
        Assert.Equal(["resource_spans[0].scope_spans[0].spans[1]: trace_id is not a hex string"], result.Reasons);
        Assert.Equal(1, result.RejectedByReason[SpanRejectReason.InvalidTraceId]);
    }

    [Fact]
    public void Unknown_kind_and_status_numbers_pass_through_as_bytes()
    {
        var span = NewSpan(NewTraceId());
        span.Kind = (Span.Types.SpanKind)9;
        span.Status = null;

        var wire = Convert(span).Groups.Single().Spans.Single();

        Assert.Equal(9, wire.Kind);
        Assert.Equal(0, wire.Status);
    }
}
