using BeTrace.Gateway.Conversion;
using BeTrace.Gateway.Otlp.Collector.Trace;

namespace BeTrace.Gateway.Json;

/// <summary>A decoded OTLP/JSON request, with the spans whose ids were not hex (rejected later, one by one).</summary>
public sealed record OtlpJsonReadResult(ExportTraceServiceRequest Request, SpanDecodeErrors DecodeErrors);
