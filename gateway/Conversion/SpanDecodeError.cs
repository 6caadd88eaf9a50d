namespace BeTrace.Gateway.Conversion;

/// <summary>One span whose ids could not be decoded (OTLP/JSON: an id that is not hex).</summary>
public sealed record SpanDecodeError(SpanRejectReason Reason, string Message);
