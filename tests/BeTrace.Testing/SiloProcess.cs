using System.Diagnostics;
using System.Text;

namespace BeTrace.Testing;

/// <summary>
/// A real silo process (`dotnet BeTrace.Silo.dll`) on free loopback ports, as a user runs it. Its output is kept
/// for the failure message; it is stopped with SIGINT (graceful) or killed, and never outlives the test.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process, int siloPort, int gatewayPort, int adminPort)
    {
        _process = process;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        AdminPort = adminPort;
    }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public int AdminPort { get; }

    public Uri Admin => new($"http://127.0.0.1:{AdminPort}");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static string SiloDll
    {
        get
        {
            // The tests build the silo through their project reference; use its own output folder.
            var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            var path = Path.Combine(RepositoryRoot, "silo", "bin", configuration, "net10.0", "BeTrace.Silo.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("build the silo first", path);
        }
    }

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BeTrace.Orleans.sln")))
            {
                directory = directory.Parent;
            }
            return directory?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }

    /// <summary>Starts a silo and waits until /health/ready answers 200.</summary>
    public static async Task<SiloProcess> StartAsync(IEnumerable<string> arguments, IDictionary<string, string>? environment = null,
        int? siloPort = null, int? gatewayPort = null, int? adminPort = null)
    {
        var ports = (Silo: siloPort ?? FreePort.Next(), Gateway: gatewayPort ?? FreePort.Next(), Admin: adminPort ?? FreePort.Next());
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(SiloDll);
        foreach (var argument in arguments.Concat([
            "--silo-port", ports.Silo.ToString(), "--gateway-port", ports.Gateway.ToString(), "--admin-port", ports.Admin.ToString()]))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start)!;
        var silo = new SiloProcess(process, ports.Silo, ports.Gateway, ports.Admin);
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return silo;
    }

    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the silo exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri(Admin, "/health/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the silo was not ready within {timeout}:\n{Output}");
    }

    /// <summary>Ctrl+C: the silo shuts down gracefully. Returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-INT", _process.Id.ToString()]);
            await kill.WaitForExitAsync();
        }
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the silo did not stop after SIGINT:\n{Output}");
        }
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the silo dies at once, as in a crash.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await StopAsync(TimeSpan.FromSeconds(20));
            }
            catch (TimeoutException)
            {
                Kill();
            }
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
