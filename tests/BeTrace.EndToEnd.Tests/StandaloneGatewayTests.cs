using BeTrace.Gateway.Hosting;
using BeTrace.Testing;
using OpenTelemetry.Exporter;

namespace BeTrace.EndToEnd.Tests;

/// <summary>
/// Scale-out: a stand-alone gateway process in front of a 2-silo cluster on PostgreSQL. The SDK exports to the
/// gateway, trace grains live on either silo, and both silos export violations to the receiver.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StandaloneGatewayTests(PostgresServer postgres)
{
    private const string SigningKey = "e2e-cluster-signing-key";

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task Traffic_through_a_stand_alone_gateway_reaches_a_two_silo_cluster(OtlpExportProtocol protocol)
    {
        var connection = await postgres.CreateDatabaseAsync("gateway");
        var clusterId = "g" + Guid.NewGuid().ToString("N")[..8];
        await using var receiver = await TestOtlpReceiver.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.GrpcEndpoint.ToString(),
            ["BeTrace__Traces__IdleTimeout"] = "00:00:01",
            ["BeTrace__Violations__Export__SigningKey"] = SigningKey,
        };
        string[] cluster = ["--cluster", "Postgres", "--postgres", connection, "--cluster-id", clusterId];
        await using var first = await SiloProcess.StartAsync([.. cluster, "--otlp", "false"], environment);
        await using var second = await SiloProcess.StartAsync([.. cluster, "--otlp", "false"], environment);
        await using var gateway = await GatewayProcess.StartAsync(cluster);

        await using (var client = await OrleansTestClient.ConnectAsync(c => c.UseBeTracePostgresClustering(connection, clusterId, "betrace")))
        {
            await Rules.Load(client.Client, "default");
        }

        using var app = new SdkTraces(protocol == OtlpExportProtocol.Grpc ? gateway.OtlpGrpc : gateway.OtlpHttp, protocol);
        var violating = Enumerable.Range(0, 6).Select(_ => app.Checkout(amount: 5000, fraudChecked: false)).ToList();
        var clean = app.Checkout(amount: 5000, fraudChecked: true);
        app.Flush();

        foreach (var trace in violating)
        {
            var span = Assert.Single(await ViolationAssertions.ExactlyFor(receiver, trace.TraceId, 1));
            ViolationAssertions.AssertViolation(span, trace.TraceId, trace.PaymentSpanId, "fraud-check", "HIGH", "default", SigningKey);
        }
        await ViolationAssertions.ExactlyFor(receiver, clean.TraceId, 0);
    }
}
