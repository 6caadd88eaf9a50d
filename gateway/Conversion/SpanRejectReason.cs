namespace BeTrace.Gateway.Conversion;

/// <summary>Why a span was rejected: a closed set, so it can tag metrics.</summary>
public enum SpanRejectReason
{
    /// <summary>trace_id is not 16 bytes (or, in JSON, not hex).</summary>
    InvalidTraceId,

    /// <summary>trace_id is all zero bytes.</summary>
    ZeroTraceId,

    /// <summary>span_id is not 8 bytes (or, in JSON, not hex).</summary>
    InvalidSpanId,

    /// <summary>span_id is all zero bytes.</summary>
    ZeroSpanId,

    /// <summary>parent_span_id is neither empty nor 8 bytes (or, in JSON, not hex).</summary>
    InvalidParentSpanId,

    /// <summary>More attributes than MaxAttributesPerSpan.</summary>
    TooManyAttributes,
}
