using System.Security.Cryptography;
using BeTrace.Gateway.Otlp.Collector.Trace;
using BeTrace.Gateway.Otlp.Common;
using BeTrace.Gateway.Otlp.Trace;
using Google.Protobuf;
using OtlpResource = BeTrace.Gateway.Otlp.Resource.Resource;

namespace BeTrace.Gateway.Tests.Support;

/// <summary>Builders of OTLP test messages. Random ids keep tests apart in the shared cluster.</summary>
public static class TestData
{
    public static ByteString NewTraceId() => ByteString.CopyFrom(RandomNumberGenerator.GetBytes(16));

    public static ByteString NewSpanId() => ByteString.CopyFrom(RandomNumberGenerator.GetBytes(8));

    public static ByteString Bytes(int length, byte fill = 0xab) => ByteString.CopyFrom(Enumerable.Repeat(fill, length).ToArray());

    public static string Hex(ByteString id) => Convert.ToHexStringLower(id.Span);

    public static string NewTenant() => "t-" + Guid.NewGuid().ToString("N")[..12];

    public static Span NewSpan(ByteString traceId, ByteString? spanId = null, ByteString? parentSpanId = null, string name = "op", int attributes = 0)
    {
        var span = new Span
        {
            TraceId = traceId,
            SpanId = spanId ?? NewSpanId(),
            ParentSpanId = parentSpanId ?? ByteString.Empty,
            Name = name,
            Kind = Span.Types.SpanKind.Server,
            StartTimeUnixNano = 1_700_000_000_000_000_000,
            EndTimeUnixNano = 1_700_000_000_500_000_000,
            Status = new Status { Code = Status.Types.StatusCode.Ok },
        };
        for (var i = 0; i < attributes; i++)
        {
            span.Attributes.Add(Attribute($"a{i}", i));
        }

        return span;
    }

    public static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    public static KeyValue Attribute(string key, long value) => new() { Key = key, Value = new AnyValue { IntValue = value } };

    public static ResourceSpans Resource(string service, params Span[] spans) => Resource(service, [spans]);

    /// <summary>One ResourceSpans of <paramref name="service"/> with one ScopeSpans per array of spans.</summary>
    public static ResourceSpans Resource(string service, params Span[][] scopes)
    {
        var resourceSpans = new ResourceSpans { Resource = new OtlpResource { Attributes = { Attribute("service.name", service) } } };
        foreach (var spans in scopes)
        {
            resourceSpans.ScopeSpans.Add(new ScopeSpans { Scope = new InstrumentationScope { Name = "test" }, Spans = { spans } });
        }

        return resourceSpans;
    }

    public static ExportTraceServiceRequest Request(params ResourceSpans[] resources) => new() { ResourceSpans = { resources } };

    /// <summary>A request with one valid span of a new trace.</summary>
    public static ExportTraceServiceRequest OneSpan() => Request(Resource("svc", NewSpan(NewTraceId())));
}
