using System.Diagnostics;
using BeTrace.Grains.Interfaces.Rules;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BeTrace.Bench.Load;

/// <summary>
/// A silo process the generator starts (<c>--start-silo</c>): <c>dotnet BeTrace.Silo.dll --data TEMP</c> with the
/// receiver as OTEL_EXPORTER_OTLP_ENDPOINT and the idle timeout in BeTrace__Traces__IdleTimeout; its output goes to
/// TEMP/silo.log (copied to /tmp/betrace-load-silo-PID.log at the end). Killed at the end (see KillAsync).
/// </summary>
internal sealed class SiloLauncher : IAsyncDisposable
{
    private readonly Process _process;

    private SiloLauncher(Process process, string dataDirectory)
    {
        _process = process;
        ProcessId = process.Id;
        DataDirectory = dataDirectory;
    }

    public int ProcessId { get; }

    public string DataDirectory { get; }

    public string LogFile => Path.Combine(DataDirectory, "silo.log");

    public bool HasExited => _process.HasExited;

    /// <summary>Where the silo's log is kept after the data folder is removed.</summary>
    public string KeptLogFile => Path.Combine(Path.GetTempPath(), $"betrace-load-silo-{ProcessId}.log");

    public static string FindSiloDll(string? configured)
    {
        if (configured is not null)
        {
            return File.Exists(configured) ? Path.GetFullPath(configured) : throw new FileNotFoundException("--silo-dll not found", configured);
        }
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BeTrace.Orleans.sln")))
        {
            directory = directory.Parent;
        }
        var root = directory?.FullName ?? Directory.GetCurrentDirectory();
        var path = Path.Combine(root, "silo", "bin", "Release", "net10.0", "BeTrace.Silo.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"the silo is not built: run 'dotnet build -c Release silo' first ({path})", path);
    }

    public static SiloLauncher Start(string siloDll, IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(arguments);
        var data = Directory.CreateTempSubdirectory("betrace-load-").FullName;
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        // exec: the shell becomes the silo (same pid), with its output in the data folder.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec dotnet \"$@\" >\"$BETRACE_LOAD_LOG\" 2>&1");
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(siloDll);
        start.ArgumentList.Add("--data");
        start.ArgumentList.Add(data);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["BETRACE_LOAD_LOG"] = Path.Combine(data, "silo.log");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the silo");
        return new SiloLauncher(process, data);
    }

    /// <summary>Waits until <c>/health/ready</c> next to the metrics endpoint answers 200.</summary>
    public async Task WaitUntilReadyAsync(Uri metricsUrl, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(metricsUrl);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var ready = new Uri(metricsUrl, "/health/ready");
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the silo exited with code {_process.ExitCode}; see {LogFile}:\n{Tail()}");
            }
            try
            {
                using var response = await http.GetAsync(ready).ConfigureAwait(false);
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
            await Task.Delay(250).ConfigureAwait(false);
        }
        throw new TimeoutException($"the silo was not ready within {timeout}; see {LogFile}:\n{Tail()}");
    }

    public string Tail(int lines = 20)
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>
    /// SIGKILL: the benchmark's silo holds only generated traces in a temporary folder, so it is not given the graceful
    /// shutdown (which parks every live trace in SQLite and takes tens of seconds with many thousands of them).
    /// </summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        try
        {
            File.Copy(LogFile, KeptLogFile, overwrite: true);
        }
        catch (IOException)
        {
        }
        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Loads the first <paramref name="count"/> load rules into the tenant's registry through an Orleans client
    /// (create, or update when the id exists). Returns the ids of other enabled rules of the tenant, which would report
    /// unexpected violations.
    /// </summary>
    public static async Task<IReadOnlyList<string>> LoadRulesAsync(int gatewayPort, string tenant, int count, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        using var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort, serviceId: "betrace", clusterId: "betrace"))
            .Build();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await host.StartAsync(timeout.Token).ConfigureAwait(false);
        }
        try
        {
            var registry = host.Services.GetRequiredService<IClusterClient>().GetGrain<IRuleRegistryGrain>(tenant);
            var existing = (await registry.List().ConfigureAwait(false)).ToDictionary(r => r.Id, StringComparer.Ordinal);
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                var rule = LoadRuleSet.All[i];
                var draft = new RuleDraft(rule.Id, rule.Name, rule.Expression, rule.Severity, "BeTrace load benchmark rule", true, ["bench"]);
                var change = existing.TryGetValue(rule.Id, out var current)
                    ? await registry.Update(draft, current.Version).ConfigureAwait(false)
                    : await registry.Create(draft).ConfigureAwait(false);
                if (!change.Succeeded)
                {
                    throw new InvalidOperationException($"rule {rule.Id} was refused: {change.Error!.Code} {change.Error.Message}");
                }
            }
            log.WriteLine($"loaded {count} rules into tenant '{tenant}' in {watch.Elapsed.TotalSeconds:F1} s");
            var ours = LoadRuleSet.All.Take(count).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            return existing.Values.Where(r => r.Enabled && !ours.Contains(r.Id)).Select(r => r.Id).ToList();
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await host.StopAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
