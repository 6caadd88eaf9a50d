using System.Diagnostics;
using BeTrace.Gateway.Otlp.Common;
using BeTrace.Gateway.Otlp.Trace;
using BeTrace.Grains.Interfaces.Violations;
using BeTrace.Grains.Violations;
using Xunit;
using static BeTrace.Grains.Tests.Violations.ViolationTestData;
using BeTrace.Testing;

namespace BeTrace.Grains.Tests.Violations;

/// <summary>The violation span as a real OTLP receiver gets it, over gRPC and over HTTP/protobuf.</summary>
public sealed class ViolationSpanExporterTests
{
    public static TheoryData<string> Protocols => new() { ViolationExportOptions.Grpc, ViolationExportOptions.HttpProtobuf };

    private static Uri EndpointFor(TestOtlpReceiver receiver, string protocol) =>
        protocol == ViolationExportOptions.Grpc ? receiver.GrpcEndpoint : receiver.HttpEndpoint;

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Violation_span_arrives_with_the_contract(string protocol)
    {
        await using var receiver = await TestOtlpReceiver.StartAsync();
        using var exporter = new ViolationSpanExporter(Options(EndpointFor(receiver, protocol), protocol));
        var witness = NewSpanId();
        var never = NewSpanId();
        var violation = NewViolation(witness, never);

        var spanId = exporter.Publish(violation);

        Assert.NotNull(spanId);
        var received = await receiver.WaitForSpanAsync(s => s.SpanId == spanId, Patience);
        var span = received.Span;
        Assert.Equal(protocol, received.Protocol);
        Assert.Equal(ViolationAttributes.SpanName, span.Name);
        Assert.Equal(Span.Types.SpanKind.Internal, span.Kind);
        Assert.Equal(violation.TraceId, received.TraceId);
        Assert.Equal(witness, received.ParentSpanId);
        var link = Assert.Single(span.Links);
        Assert.Equal(violation.TraceId, Convert.ToHexStringLower(link.TraceId.Span));
        Assert.Equal(never, Convert.ToHexStringLower(link.SpanId.Span));
        Assert.Equal(ToUnixNanoseconds(violation.DetectedAt), span.StartTimeUnixNano);
        Assert.Equal(span.StartTimeUnixNano + 100, span.EndTimeUnixNano); // one .NET tick: the shortest Activity
        Assert.Equal(1u, span.Flags & 0xFF); // sampled
        Assert.Equal("betrace", received.ResourceAttribute("service.name"));
        Assert.Equal(ViolationSpanExporter.ActivitySourceName, received.Scope?.Name);

        var attributes = received.Attributes;
        Assert.Equal(
            new[]
            {
                ViolationAttributes.Violation, ViolationAttributes.Id, ViolationAttributes.RuleId,
                ViolationAttributes.RuleName, ViolationAttributes.Severity, ViolationAttributes.Message,
                ViolationAttributes.TraceId, ViolationAttributes.Tenant, ViolationAttributes.Signature,
                ViolationAttributes.TraceComplete, ViolationAttributes.ComplianceFramework,
                ViolationAttributes.ComplianceControl,
            }.Order(StringComparer.Ordinal),
            attributes.Keys.Order(StringComparer.Ordinal));
        Assert.True(Bool(attributes, ViolationAttributes.Violation));
        Assert.Equal(violation.ViolationId, Str(attributes, ViolationAttributes.Id));
        Assert.Equal(violation.RuleId, Str(attributes, ViolationAttributes.RuleId));
        Assert.Equal(violation.RuleName, Str(attributes, ViolationAttributes.RuleName));
        Assert.Equal("CRITICAL", Str(attributes, ViolationAttributes.Severity));
        Assert.Equal(violation.Message, Str(attributes, ViolationAttributes.Message));
        Assert.Equal(violation.TraceId, Str(attributes, ViolationAttributes.TraceId));
        Assert.Equal(violation.Tenant, Str(attributes, ViolationAttributes.Tenant));
        Assert.True(Bool(attributes, ViolationAttributes.TraceComplete));
        Assert.Equal("SOC2", Str(attributes, ViolationAttributes.ComplianceFramework));
        Assert.Equal("CC6.1", Str(attributes, ViolationAttributes.ComplianceControl));

        // The auditor's check, from the received attributes alone.
        var signature = Str(attributes, ViolationAttributes.Signature);
        Assert.True(ViolationSignature.Verify(received.StringAttributes, signature, Key));
        Assert.Equal(ViolationSignature.Sign(violation, Key), signature);

        await Eventually(() => exporter.Exported == 1 && exporter.Buffered == 0, "exported counter");
        Assert.Equal(0, exporter.Dropped);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Without_a_witness_the_span_is_a_root_of_the_offending_trace(string protocol)
    {
        await using var receiver = await TestOtlpReceiver.StartAsync();
        using var exporter = new ViolationSpanExporter(Options(EndpointFor(receiver, protocol), protocol));
        var violation = NewViolation(complete: false, framework: null, control: null);

        var spanId = exporter.Publish(violation);

        var received = await receiver.WaitForSpanAsync(s => s.SpanId == spanId, Patience);
        Assert.Equal(violation.TraceId, received.TraceId);
        Assert.Equal(string.Empty, received.ParentSpanId);
        Assert.Empty(received.Span.Links);
        var attributes = received.Attributes;
        Assert.False(Bool(attributes, ViolationAttributes.TraceComplete));
        Assert.False(attributes.ContainsKey(ViolationAttributes.ComplianceFramework));
        Assert.False(attributes.ContainsKey(ViolationAttributes.ComplianceControl));
        Assert.True(ViolationSignature.Verify(received.StringAttributes, Str(attributes, ViolationAttributes.Signature), Key));
    }

    [Fact]
    public async Task Publishing_leaves_the_callers_current_activity_alone()
    {
        await using var receiver = await TestOtlpReceiver.StartAsync();
        using var exporter = new ViolationSpanExporter(Options(receiver.GrpcEndpoint, ViolationExportOptions.Grpc));

        var previous = Activity.Current;
        using (var caller = new Activity("caller").Start())
        {
            exporter.Publish(NewViolation(NewSpanId()));
            Assert.Same(caller, Activity.Current);
            exporter.Publish(NewViolation());
            Assert.Same(caller, Activity.Current);
        }

        Assert.Same(previous, Activity.Current);
        Activity.Current = null;
        exporter.Publish(NewViolation(NewSpanId()));
        Assert.Null(Activity.Current);
        Activity.Current = previous;

        await receiver.WaitForSpansAsync(spans => spans.Count == 3, Patience);
    }

    [Fact]
    public async Task Force_flush_returns_after_delivery()
    {
        await using var receiver = await TestOtlpReceiver.StartAsync();
        using var exporter = new ViolationSpanExporter(Options(receiver.HttpEndpoint, ViolationExportOptions.HttpProtobuf));
        var ids = Enumerable.Range(0, 20).Select(_ => exporter.Publish(NewViolation(NewSpanId()))).ToHashSet();

        Assert.True(exporter.ForceFlush(Patience));

        Assert.Equal(20, exporter.Exported);
        Assert.Equal(0, exporter.Buffered);
        Assert.True(ids.SetEquals(receiver.Spans.Select(s => s.SpanId)));
    }

    [Fact]
    public async Task Dispose_delivers_what_is_buffered()
    {
        await using var receiver = await TestOtlpReceiver.StartAsync();
        var exporter = new ViolationSpanExporter(Options(receiver.GrpcEndpoint, ViolationExportOptions.Grpc));
        var ids = Enumerable.Range(0, 50).Select(_ => exporter.Publish(NewViolation(NewSpanId()))).ToHashSet();

        await exporter.DisposeAsync();

        Assert.Equal(50, exporter.Exported);
        Assert.Equal(0, exporter.Dropped);
        Assert.True(ids.SetEquals(receiver.Spans.Select(s => s.SpanId)));
        Assert.Null(exporter.Publish(NewViolation()));
        Assert.Equal(1, exporter.Dropped);
    }

    [Fact]
    public void Disabled_exporter_publishes_nothing()
    {
        var options = Options(new Uri("http://127.0.0.1:9"), ViolationExportOptions.Grpc);
        options.Enabled = false;
        using var exporter = new ViolationSpanExporter(options);

        Assert.Null(exporter.Publish(NewViolation()));
        Assert.Equal(0, exporter.Exported + exporter.Dropped + exporter.Buffered + exporter.ExportFailures);
    }

    [Fact]
    public void A_configured_key_always_signs_and_without_one_the_records_signature_is_kept()
    {
        var violation = NewViolation() with { Signature = new string('0', 64) };
        using (var keyed = new ViolationSpanExporter(Disabled(Key)))
        {
            var signature = Attribute(keyed, violation, ViolationAttributes.Signature);
            Assert.Equal(ViolationSignature.Sign(violation, Key), signature);
        }

        using var unkeyed = new ViolationSpanExporter(Disabled(null));
        Assert.Equal(violation.Signature, Attribute(unkeyed, violation, ViolationAttributes.Signature));
        Assert.Null(Attribute(unkeyed, violation with { Signature = string.Empty }, ViolationAttributes.Signature));

        static ViolationExportOptions Disabled(string? key) => new() { Enabled = false, SigningKey = key ?? string.Empty };
        static object? Attribute(ViolationSpanExporter exporter, ViolationRecord v, string name) =>
            exporter.Attributes(v).Where(a => a.Key == name).Select(a => a.Value).SingleOrDefault();
    }

    [Fact]
    public void Invalid_ids_are_refused()
    {
        var options = Options(new Uri("http://127.0.0.1:9"), ViolationExportOptions.Grpc);
        options.ShutdownTimeout = TimeSpan.Zero;
        using var exporter = new ViolationSpanExporter(options);

        Assert.Throws<ArgumentException>(() => exporter.Publish(NewViolation() with { TraceId = "xyz" }));
        Assert.Throws<ArgumentException>(() => exporter.Publish(NewViolation() with { TraceId = new string('0', 32) }));
        Assert.Throws<ArgumentException>(() => exporter.Publish(NewViolation(witnessSpanId: "123")));
        Assert.Throws<ArgumentException>(() => exporter.Publish(NewViolation(neverWitnessSpanId: "zzzzzzzzzzzzzzzz")));
        Assert.Equal(0, exporter.Buffered);
    }

    [Fact]
    public void Options_append_the_signal_path_for_http_only()
    {
        var http = new ViolationExportOptions { Endpoint = new Uri("http://collector:4318"), Protocol = "http/protobuf" };
        Assert.Equal(new Uri("http://collector:4318/v1/traces"), http.EffectiveEndpoint());
        http.Endpoint = new Uri("http://collector:4318/otlp/");
        Assert.Equal(new Uri("http://collector:4318/otlp/v1/traces"), http.EffectiveEndpoint());
        http.Endpoint = new Uri("http://collector:4318/v1/traces");
        Assert.Equal(new Uri("http://collector:4318/v1/traces"), http.EffectiveEndpoint());

        var grpc = new ViolationExportOptions { Endpoint = new Uri("http://collector:4317"), Protocol = "grpc" };
        Assert.Equal(new Uri("http://collector:4317"), grpc.EffectiveEndpoint());

        Assert.Throws<ArgumentException>(() => new ViolationExportOptions { Protocol = "http/json" }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ViolationExportOptions { MaxBufferedSpans = 0 }.Validate());
    }

    internal static ulong ToUnixNanoseconds(DateTimeOffset time) =>
        (ulong)(time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100UL;

    private static string Str(IReadOnlyDictionary<string, AnyValue> attributes, string key)
    {
        Assert.True(attributes.TryGetValue(key, out var value), $"attribute {key} missing");
        Assert.Equal(AnyValue.ValueOneofCase.StringValue, value!.ValueCase);
        return value.StringValue;
    }

    private static bool Bool(IReadOnlyDictionary<string, AnyValue> attributes, string key)
    {
        Assert.True(attributes.TryGetValue(key, out var value), $"attribute {key} missing");
        Assert.Equal(AnyValue.ValueOneofCase.BoolValue, value!.ValueCase);
        return value.BoolValue;
    }
}
