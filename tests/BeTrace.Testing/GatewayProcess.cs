namespace BeTrace.Testing;

/// <summary>A real stand-alone gateway process (`dotnet BeTrace.Gateway.dll`) on free loopback ports.</summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly ManagedProcess _process;

    private GatewayProcess(ManagedProcess process, int adminPort, int otlpGrpcPort, int otlpHttpPort)
    {
        _process = process;
        AdminPort = adminPort;
        OtlpGrpcPort = otlpGrpcPort;
        OtlpHttpPort = otlpHttpPort;
    }

    public int AdminPort { get; }

    public int OtlpGrpcPort { get; }

    public int OtlpHttpPort { get; }

    public Uri Admin => new($"http://127.0.0.1:{AdminPort}");

    public Uri OtlpGrpc => new($"http://127.0.0.1:{OtlpGrpcPort}");

    public Uri OtlpHttp => new($"http://127.0.0.1:{OtlpHttpPort}");

    public string Output => _process.Output;

    public static async Task<GatewayProcess> StartAsync(IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var ports = (Admin: FreePort.Next(), OtlpGrpc: FreePort.Next(), OtlpHttp: FreePort.Next());
        var process = await ManagedProcess.StartAsync(ManagedProcess.BuildOutput("gateway", "BeTrace.Gateway.dll"),
            arguments.Concat(["--admin-port", ports.Admin.ToString(), "--otlp-grpc-port", ports.OtlpGrpc.ToString(),
                "--otlp-http-port", ports.OtlpHttp.ToString()]),
            environment, new Uri($"http://127.0.0.1:{ports.Admin}/health/ready"), TimeSpan.FromSeconds(60));
        return new GatewayProcess(process, ports.Admin, ports.OtlpGrpc, ports.OtlpHttp);
    }

    public Task<int> StopAsync(TimeSpan? timeout = null) => _process.StopAsync(timeout);

    public void Kill() => _process.Kill();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
