namespace BeTrace.Gateway.Conversion;

/// <summary>Metric tag values of <see cref="SpanRejectReason"/>.</summary>
public static class SpanRejectReasonNames
{
    /// <summary>The metric tag value of a reason.</summary>
    public static string TagValue(this SpanRejectReason reason) => reason switch
    {
        SpanRejectReason.InvalidTraceId => "invalid_trace_id",
        SpanRejectReason.ZeroTraceId => "zero_trace_id",
        SpanRejectReason.InvalidSpanId => "invalid_span_id",
        SpanRejectReason.ZeroSpanId => "zero_span_id",
        SpanRejectReason.InvalidParentSpanId => "invalid_parent_span_id",
        SpanRejectReason.TooManyAttributes => "too_many_attributes",
        _ => "other",
    };
}
