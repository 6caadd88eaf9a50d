using System.Diagnostics.Metrics;
using BeTrace.Grains.Violations;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static BeTrace.Grains.Tests.Violations.ViolationTestData;
using BeTrace.Testing;

namespace BeTrace.Grains.Tests.Violations;

/// <summary>Endpoint down, endpoint failing, buffer overflow: retry, buffering and drop counting.</summary>
public sealed class ViolationExportBufferingTests
{
    public static TheoryData<string> Protocols => new() { ViolationExportOptions.Grpc, ViolationExportOptions.HttpProtobuf };

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Spans_published_while_the_endpoint_is_down_arrive_once_it_is_up(string protocol)
    {
        var port = TestOtlpReceiver.FreePort();
        using var exporter = new ViolationSpanExporter(Options(new Uri($"http://127.0.0.1:{port}"), protocol));
        var ids = Enumerable.Range(0, 5).Select(_ => exporter.Publish(NewViolation(NewSpanId()))).ToHashSet();

        await Eventually(() => exporter.ExportFailures >= 2, "at least two failed attempts");
        Assert.Equal(5, exporter.Buffered);
        Assert.Equal(0, exporter.Exported);
        Assert.Equal(0, exporter.Dropped);

        await using var receiver = protocol == ViolationExportOptions.Grpc
            ? await TestOtlpReceiver.StartAsync(grpcPort: port)
            : await TestOtlpReceiver.StartAsync(httpPort: port);

        await receiver.WaitForSpansAsync(spans => ids.IsSubsetOf(spans.Select(s => s.SpanId)), Patience);
        await Eventually(() => exporter.Exported == 5 && exporter.Buffered == 0, "exported = 5, buffer empty");
        Assert.Equal(0, exporter.Dropped);
        Assert.Equal(5, receiver.Spans.Count);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task A_failing_endpoint_is_retried_until_it_accepts(string protocol)
    {
        await using var receiver = await TestOtlpReceiver.StartAsync();
        receiver.FailNext(3);
        var endpoint = protocol == ViolationExportOptions.Grpc ? receiver.GrpcEndpoint : receiver.HttpEndpoint;
        using var exporter = new ViolationSpanExporter(Options(endpoint, protocol));

        var spanId = exporter.Publish(NewViolation(NewSpanId()));

        await receiver.WaitForSpanAsync(s => s.SpanId == spanId, Patience);
        Assert.Equal(3, receiver.FailedRequests);
        Assert.Equal(3, exporter.ExportFailures);
        await Eventually(() => exporter.Exported == 1 && exporter.Buffered == 0, "exported after retries");
    }

    [Fact]
    public void Overflow_drops_and_counts_exactly_the_excess()
    {
        var port = TestOtlpReceiver.FreePort();
        var options = Options(new Uri($"http://127.0.0.1:{port}"), ViolationExportOptions.Grpc);
        options.MaxBufferedSpans = 3;
        options.ShutdownTimeout = TimeSpan.FromMilliseconds(300);
        var exporter = new ViolationSpanExporter(options);

        for (var i = 0; i < 10; i++)
        {
            exporter.Publish(NewViolation(NewSpanId()));
        }

        Assert.Equal(7, exporter.Dropped);
        Assert.Equal(3, exporter.Buffered);
        Assert.Equal(0, exporter.Exported);

        // Still down at shutdown: what is left is dropped too, and counted.
        exporter.Dispose();
        Assert.Equal(10, exporter.Dropped);
        Assert.Equal(0, exporter.Buffered);
    }

    [Fact]
    public async Task Counters_are_published_on_the_BeTrace_meter()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "BeTrace" && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (totals)
            {
                totals[instrument.Name] = instrument.Name == "betrace.violations.buffered"
                    ? value
                    : totals.GetValueOrDefault(instrument.Name) + value;
            }
        });
        listener.Start();

        var port = TestOtlpReceiver.FreePort();
        var options = Options(new Uri($"http://127.0.0.1:{port}"), ViolationExportOptions.Grpc);
        options.MaxBufferedSpans = 2;
        using var exporter = new ViolationSpanExporter(options, factory);
        for (var i = 0; i < 4; i++)
        {
            exporter.Publish(NewViolation());
        }

        await Eventually(() => exporter.ExportFailures >= 1, "a failed attempt");
        await using var receiver = await TestOtlpReceiver.StartAsync(grpcPort: port);
        await Eventually(() => exporter.Exported == 2, "the buffered spans exported");
        listener.RecordObservableInstruments();

        lock (totals)
        {
            Assert.Equal(2, totals["betrace.violations.exported"]);
            Assert.Equal(2, totals["betrace.violations.dropped"]);
            Assert.Equal(exporter.ExportFailures, totals["betrace.violations.export.failures"]);
            Assert.Equal(0, totals["betrace.violations.buffered"]);
        }
    }
}
