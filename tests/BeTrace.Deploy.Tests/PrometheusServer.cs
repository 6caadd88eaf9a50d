using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BeTrace.Testing;

namespace BeTrace.Deploy.Tests;

/// <summary>
/// A real Prometheus server (the Debian package's <c>prometheus</c> binary) on a free loopback port with a given
/// configuration and a throw-away storage folder, queried through its HTTP API.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http;
    private readonly string _storage;

    private PrometheusServer(Process process, int port, string storage)
    {
        _process = process;
        Port = port;
        _storage = storage;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
    }

    public int Port { get; }

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

    public static string Binary()
    {
        foreach (var candidate in new[] { "/usr/bin/prometheus", "/usr/local/bin/prometheus" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException(
            "The deploy tests run a real Prometheus, but the prometheus binary is missing: apt-get install -y prometheus (.ci/run does this).");
    }

    public static async Task<PrometheusServer> StartAsync(string configFile, string storage)
    {
        Directory.CreateDirectory(storage);
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreePort.Next();
            var start = new ProcessStartInfo(Binary())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { $"--config.file={configFile}", $"--storage.tsdb.path={storage}",
                         $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn" })
            {
                start.ArgumentList.Add(argument);
            }
            var server = new PrometheusServer(Process.Start(start)!, port, storage);
            server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
            server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
            server._process.BeginOutputReadLine();
            server._process.BeginErrorReadLine();
            try
            {
                await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
                return server;
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                last = e;
                await server.DisposeAsync();
            }
        }
        throw new InvalidOperationException("Prometheus did not start", last);
    }

    /// <summary>An instant query; throws with Prometheus' error text when it does not evaluate.</summary>
    public async Task<PromResult> QueryAsync(string promql)
    {
        using var response = await _http.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql));
        var body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            return new PromResult(promql, false, $"{root.GetProperty("errorType").GetString()}: {root.GetProperty("error").GetString()}", 0, "");
        }
        var data = root.GetProperty("data");
        var type = data.GetProperty("resultType").GetString() ?? "";
        var count = type is "vector" or "matrix" ? data.GetProperty("result").GetArrayLength() : 1;
        return new PromResult(promql, true, null, count, data.GetProperty("result").ToString());
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        var root = await _http.GetFromJsonAsync<JsonElement>(path);
        Assert.Equal("success", root.GetProperty("status").GetString());
        return root.GetProperty("data").Clone();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_storage, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                using var response = await _http.GetAsync("/-/ready");
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
        throw new TimeoutException($"prometheus not ready within {timeout}:\n{Output}");
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

/// <summary>One instant query's outcome: whether it evaluated, its error, how many series or values it returned.</summary>
public sealed record PromResult(string Query, bool Success, string? Error, int Count, string Json);
