using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using BeTrace.Gateway.Tests.Support;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using static BeTrace.Gateway.Tests.Support.TestData;

namespace BeTrace.Gateway.Tests.Integration;

[Collection(GatewayClusterCollection.Name)]
public sealed class MetricsTests(GatewayClusterFixture cluster)
{
    private sealed record Measurement(string Instrument, long Value, IReadOnlyDictionary<string, string> Tags);

    [Fact]
    public async Task Requests_spans_rejections_and_in_flight_calls_are_counted_on_the_BeTrace_meter()
    {
        await using var host = await GatewayHost.StartAsync(cluster.Grains);
        var meterFactory = host.Services.GetRequiredService<IMeterFactory>();
        var measurements = new ConcurrentQueue<Measurement>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "BeTrace" && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var tagMap = new Dictionary<string, string>();
            foreach (var tag in tags)
            {
                tagMap[tag.Key] = tag.Value?.ToString() ?? string.Empty;
            }

            measurements.Enqueue(new Measurement(instrument.Name, value, tagMap));
        });
        listener.Start();
        var tenant = NewTenant();
        var trace = NewTraceId();

        var mixed = Request(Resource("svc", NewSpan(trace), NewSpan(trace), NewSpan(Bytes(4))));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/traces") { Content = new ByteArrayContent(mixed.ToByteArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        request.Headers.Add("X-Scope-OrgID", tenant);
        using (var response = await host.Http.SendAsync(request))
        {
            response.EnsureSuccessStatusCode();
        }

        using (var response = await host.Http.PostAsync("/v1/traces", new StringContent("x")))
        {
            Assert.Equal(415, (int)response.StatusCode);
        }

        await host.Grpc.ExportAsync(OneSpan(), Assertions.Call(tenant));

        var all = measurements.ToList();
        Assert.Equal(3, Sum(all, "betrace.gateway.spans.received", ("tenant", tenant), ("protocol", "http/protobuf")));
        Assert.Equal(1, Sum(all, "betrace.gateway.spans.received", ("tenant", tenant), ("protocol", "grpc")));
        Assert.Equal(1, Sum(all, "betrace.gateway.spans.rejected", ("tenant", tenant), ("reason", "invalid_trace_id")));
        Assert.Equal(1, Sum(all, "betrace.gateway.requests", ("protocol", "http/protobuf"), ("outcome", "partial_success")));
        Assert.Equal(1, Sum(all, "betrace.gateway.requests", ("protocol", "http"), ("outcome", "unsupported_media_type")));
        Assert.Equal(1, Sum(all, "betrace.gateway.requests", ("protocol", "grpc"), ("outcome", "success")));
        Assert.Equal(2, all.Count(m => m.Instrument == "betrace.gateway.inflight" && m.Value == 1));
        Assert.All(all, m => Assert.DoesNotContain(m.Tags.Values, value => value.Contains(Hex(trace), StringComparison.Ordinal)));

        // A slot is freed right after the grain call ends; the freeing may trail the response by a moment.
        var deadline = DateTime.UtcNow + Assertions.Patience;
        while (measurements.Where(m => m.Instrument == "betrace.gateway.inflight").Sum(m => m.Value) != 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(0, measurements.Where(m => m.Instrument == "betrace.gateway.inflight").Sum(m => m.Value));
    }

    private static long Sum(IEnumerable<Measurement> measurements, string instrument, params (string Key, string Value)[] tags) =>
        measurements
            .Where(m => m.Instrument == instrument && tags.All(tag => m.Tags.TryGetValue(tag.Key, out var value) && value == tag.Value))
            .Sum(m => m.Value);
}
