using BeTrace.Testing;

namespace BeTrace.EndToEnd.Tests;

/// <summary>
/// One silo process on the embedded default (co-hosted gateway) whose violations go to a test OTLP receiver, with
/// the end-to-end rules loaded for the tenants "default" and "acme". Traces are evaluated after 1 s of silence.
/// </summary>
public sealed class EmbeddedSiloFixture : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("betrace-e2e-").FullName;

    public TestOtlpReceiver Receiver { get; private set; } = null!;

    public SiloProcess Silo { get; private set; } = null!;

    public string SigningKey => File.ReadAllText(Path.Combine(_data, "violation-signing.key")).Trim();

    public async Task InitializeAsync()
    {
        Receiver = await TestOtlpReceiver.StartAsync();
        Silo = await SiloProcess.StartAsync(["--data", _data], new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Receiver.GrpcEndpoint.ToString(),
            ["BeTrace__Traces__IdleTimeout"] = "00:00:01",
            ["BeTrace__Traces__LateSpanGrace"] = "00:00:20",
        });
        await using var client = await OrleansTestClient.ConnectLocalAsync(Silo.GatewayPort);
        await Rules.Load(client.Client, "default");
        await Rules.Load(client.Client, "acme");
    }

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        await Receiver.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}
