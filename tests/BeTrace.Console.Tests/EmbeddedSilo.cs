using System.Globalization;
using BeTrace.Grains.Interfaces.Spans;
using BeTrace.Grains.Interfaces.Traces;
using BeTrace.Grains.Interfaces.Violations;
using BeTrace.Testing;

namespace BeTrace.Console.Tests;

/// <summary>
/// One real silo process on the embedded default (SQLite in a temporary folder, free ports) shared by the tests of
/// <see cref="EmbeddedSiloCollection"/>; each test keeps to its own tenant. Traces evaluate after one idle second,
/// and violation spans go to a real OTLP receiver. The test process sends spans through its own Orleans client.
/// </summary>
public sealed class EmbeddedSilo : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("betrace-console-").FullName;
    private SiloProcess? _silo;
    private OrleansTestClient? _client;

    public TestOtlpReceiver Receiver { get; private set; } = null!;

    public int GatewayPort => _silo!.GatewayPort;

    public IClusterClient Client => _client!.Client;

    /// <summary>The key the embedded silo signs violations with (created at its start).</summary>
    public string SigningKeyFile => Path.Combine(_data, "violation-signing.key");

    /// <summary>The options that point betrace at this silo and a tenant.</summary>
    public string[] Target(string tenant) => ["--gateway-port", GatewayPort.ToString(CultureInfo.InvariantCulture), "--tenant", tenant];

    public async Task InitializeAsync()
    {
        Receiver = await TestOtlpReceiver.StartAsync();
        _silo = await SiloProcess.StartAsync(["--data", _data], new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Receiver.GrpcEndpoint.ToString(),
            ["BeTrace__Traces__IdleTimeout"] = "00:00:01",
        });
        _client = await OrleansTestClient.ConnectLocalAsync(_silo.GatewayPort);
    }

    /// <summary>Sends one trace's spans, as the gateway would.</summary>
    public Task SendAsync(string tenant, string traceId, params WireSpan[] spans) =>
        Client.GetGrain<ITraceGrain>(new TraceKey(tenant, traceId).ToString()).Append(new SpanBatch(spans));

    /// <summary>Waits until the tenant's violation log holds <paramref name="count"/> violations.</summary>
    public async Task<ViolationRecord[]> WaitForViolationsAsync(string tenant, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var violations = await Client.GetGrain<IViolationLogGrain>(tenant).List(new ViolationQuery());
            if (violations.Length >= count)
            {
                return violations;
            }
            Assert.True(DateTime.UtcNow < deadline, $"tenant {tenant} has {violations.Length} violations, expected {count}:\n{_silo!.Output}");
            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
        await Receiver.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class EmbeddedSiloCollection : ICollectionFixture<EmbeddedSilo>
{
    public const string Name = "embedded silo";
}
