using System.Diagnostics;
using System.Text;

namespace BeTrace.Testing;

/// <summary>
/// A BeTrace process (silo or gateway) started from its build output with `dotnet X.dll`, as a user runs it. Its
/// output is kept for failure messages; it is stopped with SIGINT (graceful) or killed, and never outlives the test.
/// </summary>
public sealed class ManagedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ManagedProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

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

    /// <summary>The build output of <paramref name="project"/> (e.g. "silo", "BeTrace.Silo.dll"), in the tests' configuration.</summary>
    public static string BuildOutput(string folder, string dll)
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(RepositoryRoot, folder, "bin", configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"build {folder} first", path);
    }

    /// <summary>Starts `dotnet <paramref name="dll"/> arguments…` and waits until <paramref name="readyUrl"/> answers 200.</summary>
    public static async Task<ManagedProcess> StartAsync(string dll, IEnumerable<string> arguments, IDictionary<string, string>? environment,
        Uri readyUrl, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Nothing listens there: violations stay buffered unless a test points the exporter at its receiver.
        start.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        var managed = new ManagedProcess(Process.Start(start)!);
        managed._process.OutputDataReceived += (_, e) => managed.Append(e.Data);
        managed._process.ErrorDataReceived += (_, e) => managed.Append(e.Data);
        managed._process.BeginOutputReadLine();
        managed._process.BeginErrorReadLine();
        try
        {
            await managed.WaitUntilReadyAsync(readyUrl, timeout);
        }
        catch
        {
            await managed.DisposeAsync();
            throw;
        }
        return managed;
    }

    public async Task WaitUntilReadyAsync(Uri readyUrl, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the process exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                using var response = await http.GetAsync(readyUrl);
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
        throw new TimeoutException($"not ready within {timeout}:\n{Output}");
    }

    /// <summary>Ctrl+C: graceful shutdown. Returns the exit code.</summary>
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
            throw new TimeoutException($"the process did not stop after SIGINT:\n{Output}");
        }
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process dies at once, as in a crash.</summary>
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
