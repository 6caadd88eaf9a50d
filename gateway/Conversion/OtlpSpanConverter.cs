using System.Buffers.Binary;
using BeTrace.Gateway.Otlp.Collector.Trace;
using BeTrace.Gateway.Otlp.Trace;
using BeTrace.Grains.Interfaces.Spans;
using BeTrace.Grains.Interfaces.Traces;
using BeTrace.Grains.Interfaces.Violations;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace BeTrace.Gateway.Conversion;

/// <summary>
/// Validates the spans of an export request and groups the valid ones by (tenant, trace id) as <see cref="WireSpan"/>s.
/// An invalid span is rejected alone: its neighbours are kept. Span events and links are not carried (the wire span
/// has no place for them).
/// </summary>
public sealed class OtlpSpanConverter
{
    /// <summary>How many rejection reasons (with their positions) a result keeps.</summary>
    public const int MaxReasons = 5;

    private const int TraceIdBytes = 16;
    private const int SpanIdBytes = 8;

    private readonly int _maxAttributes;
    private readonly int _maxSpans;

    public OtlpSpanConverter(IOptions<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _maxAttributes = options.Value.MaxAttributesPerSpan;
        _maxSpans = options.Value.MaxSpansPerRequest;
    }

    public ConversionResult Convert(ExportTraceServiceRequest request, string tenant, SpanDecodeErrors? decodeErrors = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var total = CountSpans(request);
        if (total > _maxSpans)
        {
            return ConversionResult.Refused(total, $"the request has {total} spans, the limit is {_maxSpans}: send smaller batches");
        }

        var groups = new List<(UInt128 TraceId, List<WireSpan> Spans)>();
        var groupIndex = new Dictionary<UInt128, int>();
        var rejected = new Dictionary<SpanRejectReason, int>();
        var reasons = new List<string>(MaxReasons);
        var accepted = 0;
        var ignored = 0;

        for (var r = 0; r < request.ResourceSpans.Count; r++)
        {
            var resourceSpans = request.ResourceSpans[r];
            WireResource? resource = null;
            for (var s = 0; s < resourceSpans.ScopeSpans.Count; s++)
            {
                if (resourceSpans.ScopeSpans[s].Scope?.Name == ViolationAttributes.InstrumentationScope)
                {
                    // BeTrace's own violation spans coming back: evaluating them would feed violations into rules.
                    // They are neither kept nor rejected.
                    ignored += resourceSpans.ScopeSpans[s].Spans.Count;
                    continue;
                }
                var spans = resourceSpans.ScopeSpans[s].Spans;
                for (var i = 0; i < spans.Count; i++)
                {
                    var span = spans[i];
                    var problem = decodeErrors?.For(span) is { } decodeError
                        ? (decodeError.Reason, decodeError.Message)
                        : Validate(span);
                    if (problem is ({ } reason, { } message))
                    {
                        rejected[reason] = rejected.GetValueOrDefault(reason) + 1;
                        if (reasons.Count < MaxReasons)
                        {
                            reasons.Add($"resource_spans[{r}].scope_spans[{s}].spans[{i}]: {message}");
                        }

                        continue;
                    }

                    resource ??= new WireResource(AnyValueConverter.Attributes(resourceSpans.Resource?.Attributes ?? []));
                    var traceId = BinaryPrimitives.ReadUInt128BigEndian(span.TraceId.Span);
                    if (!groupIndex.TryGetValue(traceId, out var index))
                    {
                        index = groups.Count;
                        groupIndex[traceId] = index;
                        groups.Add((traceId, []));
                    }

                    groups[index].Spans.Add(ToWire(span, resource));
                    accepted++;
                }
            }
        }

        var traceGroups = groups
            .Select(group => new TraceGroup(tenant, HexOf(group.TraceId), [.. group.Spans]))
            .ToList();
        return new ConversionResult(traceGroups, total - ignored, accepted, rejected, reasons);
    }

    public static int CountSpans(ExportTraceServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var count = 0;
        foreach (var resourceSpans in request.ResourceSpans)
        {
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                count += scopeSpans.Spans.Count;
            }
        }

        return count;
    }

    private (SpanRejectReason Reason, string Message)? Validate(Span span)
    {
        if (span.TraceId.Length != TraceIdBytes)
        {
            return (SpanRejectReason.InvalidTraceId, $"trace_id is {span.TraceId.Length} bytes, expected {TraceIdBytes}");
        }

        if (IsZero(span.TraceId))
        {
            return (SpanRejectReason.ZeroTraceId, "trace_id is all zero");
        }

        if (span.SpanId.Length != SpanIdBytes)
        {
            return (SpanRejectReason.InvalidSpanId, $"span_id is {span.SpanId.Length} bytes, expected {SpanIdBytes}");
        }

        if (IsZero(span.SpanId))
        {
            return (SpanRejectReason.ZeroSpanId, "span_id is all zero");
        }

        if (span.ParentSpanId.Length is not 0 and not SpanIdBytes)
        {
            return (SpanRejectReason.InvalidParentSpanId, $"parent_span_id is {span.ParentSpanId.Length} bytes, expected 0 (root) or {SpanIdBytes}");
        }

        if (span.Attributes.Count > _maxAttributes)
        {
            return (SpanRejectReason.TooManyAttributes, $"span has {span.Attributes.Count} attributes, the limit is {_maxAttributes}");
        }

        return null;
    }

    private static WireSpan ToWire(Span span, WireResource resource) => new(
        BinaryPrimitives.ReadUInt64BigEndian(span.SpanId.Span),
        span.ParentSpanId.Length == SpanIdBytes ? BinaryPrimitives.ReadUInt64BigEndian(span.ParentSpanId.Span) : 0,
        span.Name,
        (int)span.Kind is >= 0 and <= byte.MaxValue ? (byte)span.Kind : (byte)0,
        span.Status is { } status && (int)status.Code is >= 0 and <= byte.MaxValue ? (byte)status.Code : (byte)0,
        span.StartTimeUnixNano,
        span.EndTimeUnixNano,
        AnyValueConverter.Attributes(span.Attributes),
        resource);

    private static bool IsZero(ByteString id) => !id.Span.ContainsAnyExcept((byte)0);

    private static string HexOf(UInt128 traceId)
    {
        Span<byte> bytes = stackalloc byte[TraceIdBytes];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, traceId);
        return TraceKey.Hex(bytes);
    }
}
