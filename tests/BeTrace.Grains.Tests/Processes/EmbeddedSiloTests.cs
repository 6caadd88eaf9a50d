using BeTrace.Grains.Interfaces.Operations;
using BeTrace.Grains.Interfaces.Rules;
using BeTrace.Grains.Interfaces.Spans;
using BeTrace.Grains.Interfaces.Traces;
using BeTrace.Grains.Interfaces.Violations;
using BeTrace.Testing;

namespace BeTrace.Grains.Tests.Processes;

/// <summary>The embedded default as a user runs it: a real silo process with SQLite storage, Ctrl+C, restart.</summary>
public sealed class EmbeddedSiloTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("betrace-embedded-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Rules_survive_a_restart_and_ctrl_c_stops_the_silo_cleanly()
    {
        await using (var silo = await SiloProcess.StartAsync(["--data", _data]))
        {
            await using var client = await OrleansTestClient.ConnectLocalAsync(silo.GatewayPort);
            var registry = client.Client.GetGrain<IRuleRegistryGrain>("acme");
            var created = await registry.Create(new RuleDraft("fraud", "Fraud check", "when { payment.where(amount > 1000) } always { fraud_check }", Severity.Critical));
            Assert.True(created.Succeeded, created.Error?.ToString());
            await client.DisposeAsync();
            Assert.Equal(0, await silo.StopAsync());
            Assert.Contains("Orleans Silo stopped", silo.Output, StringComparison.Ordinal);
        }

        await using (var silo = await SiloProcess.StartAsync(["--data", _data]))
        {
            await using var client = await OrleansTestClient.ConnectLocalAsync(silo.GatewayPort);
            var rule = await client.Client.GetGrain<IRuleRegistryGrain>("acme").Get("fraud");
            Assert.NotNull(rule);
            Assert.Equal(Severity.Critical, rule.Severity);
            Assert.Equal(1, rule.Version);

            // The restarted silo loaded the rules into its catalog by its first poll.
            var status = Assert.Single(await client.Client.GetGrain<IClusterStatusGrain>(0).Silos());
            Assert.Equal("Active", status.Status);
            Assert.Equal(1, status.RuleVersions["acme"]);
        }
    }

    [Fact]
    public async Task A_malformed_option_stops_the_silo_at_start_up_with_the_key_named()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloProcess.StartAsync(["--data", _data],
            new Dictionary<string, string> { ["BeTrace__Traces__IdleTimeout"] = "five seconds" }));
        Assert.Contains("exited with 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("IdleTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_and_metrics_are_served_on_the_admin_port()
    {
        await using var silo = await SiloProcess.StartAsync(["--data", _data]);
        using var http = new HttpClient();
        Assert.Equal("live\n", await http.GetStringAsync(new Uri(silo.Admin, "/health/live")));
        Assert.Equal("ready\n", await http.GetStringAsync(new Uri(silo.Admin, "/health/ready")));

        await using var client = await OrleansTestClient.ConnectLocalAsync(silo.GatewayPort);
        var trace = client.Client.GetGrain<ITraceGrain>(new TraceKey("acme", new string('a', 32)).ToString());
        await trace.Append(new SpanBatch([new WireSpan(1, 0, "payment", 2, 0, 1, 2, [], new WireResource([]))]));

        var metrics = await http.GetStringAsync(new Uri(silo.Admin, "/metrics"));
        Assert.Contains("betrace_spans_accepted", metrics, StringComparison.Ordinal);
        Assert.Contains("orleans_catalog_activation", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('a', 32), metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_violating_trace_yields_a_signed_violation_span_on_the_otlp_endpoint_and_in_the_recent_log()
    {
        await using var receiver = await TestOtlpReceiver.StartAsync();
        await using var silo = await SiloProcess.StartAsync(["--data", _data], new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.GrpcEndpoint.ToString(),
            ["BeTrace__Traces__IdleTimeout"] = "00:00:01",
        });
        await using var client = await OrleansTestClient.ConnectLocalAsync(silo.GatewayPort);
        var created = await client.Client.GetGrain<IRuleRegistryGrain>("acme").Create(new RuleDraft(
            "fraud", "Fraud check", "when { payment.where(amount > 1000) } always { fraud_check }", Severity.High,
            ComplianceFramework: "PCI DSS", ComplianceControl: "10.2"));
        Assert.True(created.Succeeded);

        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var resource = new WireResource([new WireAttribute("service.name", WireValue.Of("checkout"))]);
        await client.Client.GetGrain<ITraceGrain>(new TraceKey("acme", traceId).ToString()).Append(new SpanBatch([
            new WireSpan(0x1111, 0, "checkout", 2, 0, 1, 2, [], resource),
            new WireSpan(0x2222, 0x1111, "payment", 1, 0, 1, 2, [new WireAttribute("amount", WireValue.Of(5000L))], resource),
        ]));

        var span = await receiver.WaitForSpanAsync(s => s.TraceId == traceId, TimeSpan.FromSeconds(30));
        Assert.Equal("betrace.violation", span.Span.Name);
        Assert.Equal("0000000000002222", span.ParentSpanId);
        Assert.Equal("betrace", span.ResourceAttribute("service.name"));
        var attributes = span.StringAttributes;
        Assert.Equal("fraud", attributes[ViolationAttributes.RuleId]);
        Assert.Equal("HIGH", attributes[ViolationAttributes.Severity]);
        Assert.Equal("PCI DSS", attributes[ViolationAttributes.ComplianceFramework]);
        var key = File.ReadAllText(Path.Combine(_data, "violation-signing.key")).Trim();
        Assert.True(ViolationSignature.Verify(attributes, attributes[ViolationAttributes.Signature], key));

        var recent = await client.Client.GetGrain<IViolationLogGrain>("acme").List(new ViolationQuery());
        Assert.Equal(traceId, Assert.Single(recent).TraceId);
    }
}
