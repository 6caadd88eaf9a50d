namespace BeTrace.Testing;

/// <summary>A real silo process (`dotnet BeTrace.Silo.dll`) with its co-hosted OTLP gateway, on free loopback ports.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly ManagedProcess _process;

    private SiloProcess(ManagedProcess process, int siloPort, int gatewayPort, int adminPort, int otlpGrpcPort, int otlpHttpPort)
    {
        _process = process;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        AdminPort = adminPort;
        OtlpGrpcPort = otlpGrpcPort;
        OtlpHttpPort = otlpHttpPort;
    }

    public int SiloPort { get; }

    /// <summary>The Orleans gateway port (for Orleans clients).</summary>
    public int GatewayPort { get; }

    public int AdminPort { get; }

    /// <summary>The co-hosted gateway's OTLP/gRPC port.</summary>
    public int OtlpGrpcPort { get; }

    /// <summary>The co-hosted gateway's OTLP/HTTP port.</summary>
    public int OtlpHttpPort { get; }

    public Uri Admin => new($"http://127.0.0.1:{AdminPort}");

    public Uri OtlpGrpc => new($"http://127.0.0.1:{OtlpGrpcPort}");

    public Uri OtlpHttp => new($"http://127.0.0.1:{OtlpHttpPort}");

    public int ProcessId => _process.Id;

    public string Output => _process.Output;

    public bool HasExited => _process.HasExited;

    public static string SiloDll => ManagedProcess.BuildOutput("silo", "BeTrace.Silo.dll");

    /// <summary>Starts a silo and waits until /health/ready answers 200.</summary>
    public static async Task<SiloProcess> StartAsync(IEnumerable<string> arguments, IDictionary<string, string>? environment = null,
        int? siloPort = null, int? gatewayPort = null, int? adminPort = null)
    {
        var ports = (Silo: siloPort ?? FreePort.Next(), Gateway: gatewayPort ?? FreePort.Next(), Admin: adminPort ?? FreePort.Next(),
            OtlpGrpc: FreePort.Next(), OtlpHttp: FreePort.Next());
        var process = await ManagedProcess.StartAsync(SiloDll, arguments.Concat([
                "--silo-port", ports.Silo.ToString(), "--gateway-port", ports.Gateway.ToString(), "--admin-port", ports.Admin.ToString(),
                "--otlp-grpc-port", ports.OtlpGrpc.ToString(), "--otlp-http-port", ports.OtlpHttp.ToString(),
                "--advertised-address", "127.0.0.1"]),
            environment, new Uri($"http://127.0.0.1:{ports.Admin}/health/ready"), TimeSpan.FromSeconds(60));
        return new SiloProcess(process, ports.Silo, ports.Gateway, ports.Admin, ports.OtlpGrpc, ports.OtlpHttp);
    }

    public Task WaitUntilReadyAsync(TimeSpan timeout) => _process.WaitUntilReadyAsync(new Uri(Admin, "/health/ready"), timeout);

    /// <summary>Ctrl+C: the silo shuts down gracefully. Returns the exit code.</summary>
    public Task<int> StopAsync(TimeSpan? timeout = null) => _process.StopAsync(timeout);

    /// <summary>SIGKILL: the silo dies at once, as in a crash.</summary>
    public void Kill() => _process.Kill();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
