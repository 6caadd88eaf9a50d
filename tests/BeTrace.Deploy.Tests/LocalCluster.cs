using System.Diagnostics;
using BeTrace.Gateway.Hosting;
using BeTrace.Grains.Interfaces.Rules;
using BeTrace.Testing;

namespace BeTrace.Deploy.Tests;

/// <summary>
/// A local cluster brought up with deploy-local/up.sh in a temporary run folder on free ports: PostgreSQL, 3 silos and
/// 1 stand-alone gateway, violations exported to a <see cref="TestOtlpReceiver"/>, rules loaded through an Orleans client,
/// a real Prometheus scraping the ports up.sh wrote into its generated configuration, and OTLP traffic running
/// through the gateway for the whole life of the fixture. Disposal runs down.sh --purge.
/// </summary>
public sealed class LocalCluster : IAsyncLifetime
{
    public const string ClusterId = "deploytest";
    public const string Tenant = "default";
    private const string RunFolderPrefix = "betrace-deploy-";

    public static readonly RuleDraft FraudRule = new("fraud-check", "Payments over 1000 are fraud-checked",
        "when { payment.where(amount > 1000) } always { fraud_check }", Severity.High,
        ComplianceFramework: "PCI DSS", ComplianceControl: "10.2");

    public static readonly RuleDraft FailedCheckoutRule = new("failed-checkout", "Failed checkouts are detected",
        "when { checkout.where(span:status == ERROR) }", Severity.Medium);

    private readonly Stopwatch _life = Stopwatch.StartNew();

    public string RunDir { get; } = Path.Combine("/tmp", $"{RunFolderPrefix}{System.Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");

    public int BasePort { get; } = Random.Shared.Next(20_000, 28_000);

    public TestOtlpReceiver Receiver { get; private set; } = null!;

    public IReadOnlyDictionary<string, string> Endpoints { get; private set; } = new Dictionary<string, string>();

    public OtlpTraffic Traffic { get; private set; } = null!;

    public PrometheusServer Prometheus { get; private set; } = null!;

    public OrleansTestClient Client { get; private set; } = null!;

    public ScriptResult FirstUp { get; private set; } = null!;

    /// <summary>The environment up.sh passes on to the silos: short timeouts so the tests run in minutes.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["BeTrace__Traces__IdleTimeout"] = "00:00:01",
        // A trace beyond 100 spans drops the rest (one test trace does, so the dropped-spans metric has a value).
        ["BeTrace__Traces__MaxSpans"] = "100",
        ["BeTrace__Rules__PollInterval"] = "00:00:02",
        ["BeTrace__Violations__Export__RetryInitialDelay"] = "00:00:00.200",
        ["BeTrace__Violations__Export__RetryMaxDelay"] = "00:00:01",
        // Small enough for the export-outage step to overflow it, far above what steady traffic buffers.
        ["BeTrace__Violations__Export__MaxBufferedSpans"] = "40",
    };

    public string Configuration => AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>The arguments every up.sh run of the fixture uses (re-running with them must be a no-op).</summary>
    public IReadOnlyList<string> UpArguments =>
    [
        "--run-dir", RunDir, "--base-port", BasePort.ToString(), "--configuration", Configuration, "--silos", "3", "--gateways", "1",
        "--cluster-id", ClusterId, "--scrape-interval", "1", "--export-endpoint", Receiver.GrpcEndpoint.ToString().TrimEnd('/'),
        "--timeout", "150",
    ];

    public Uri GatewayHttp => new($"http://127.0.0.1:{Endpoints["GATEWAY_0_OTLP_HTTP_PORT"]}");

    public string PostgresConnection => Endpoints["POSTGRES_CONNECTION"];

    public Uri AdminOf(string process) => new($"http://127.0.0.1:{Endpoints[Key(process, "ADMIN_PORT")]}");

    public int SiloPortOf(string process) => int.Parse(Endpoints[Key(process, "SILO_PORT")]);

    public IEnumerable<string> Processes => ["silo-0", "silo-1", "silo-2", "gateway-0"];

    public static string Key(string process, string key) => process.Replace('-', '_').ToUpperInvariant() + "_" + key;

    public async Task InitializeAsync()
    {
        await CleanUpAbandonedRunsAsync();
        Receiver = await TestOtlpReceiver.StartAsync();
        try
        {
            FirstUp = (await UpAsync()).EnsureSuccess();
            Client = await OrleansTestClient.ConnectAsync(c => c.UseBeTracePostgresClustering(PostgresConnection, ClusterId, "betrace"));
            var registry = Client.Client.GetGrain<IRuleRegistryGrain>(Tenant);
            foreach (var rule in new[] { FraudRule, FailedCheckoutRule })
            {
                var change = await registry.Create(rule);
                Assert.True(change.Succeeded, change.Error?.ToString());
            }
            Prometheus = await PrometheusServer.StartAsync(Endpoints["PROMETHEUS_CONFIG"], Directory.CreateTempSubdirectory("betrace-prometheus-").FullName);
            Traffic = new OtlpTraffic(GatewayHttp);
            Traffic.Start(workers: 3, pause: TimeSpan.FromMilliseconds(100));
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs up.sh with the fixture's arguments and environment, and reads the endpoints it wrote.</summary>
    public async Task<ScriptResult> UpAsync()
    {
        var result = await DeployScript.RunAsync("up.sh", UpArguments, Environment, TimeSpan.FromMinutes(4));
        if (result.ExitCode == 0)
        {
            Endpoints = ReadEndpoints(Path.Combine(RunDir, "endpoints.env"));
        }
        return result;
    }

    public Task<ScriptResult> DownAsync(params string[] arguments) =>
        DeployScript.RunAsync("down.sh", ["--run-dir", RunDir, "--timeout", "60", .. arguments], Environment, TimeSpan.FromMinutes(3));

    public Task<ScriptResult> StatusAsync() => DeployScript.RunAsync("status.sh", ["--run-dir", RunDir], Environment, TimeSpan.FromMinutes(1));

    /// <summary>The pid of a process from its pid file (0 when there is none).</summary>
    public int PidOf(string process)
    {
        var file = Path.Combine(RunDir, "pids", process + ".pid");
        return File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), out var pid) ? pid : 0;
    }

    public TimeSpan Age => _life.Elapsed;

    public async Task DisposeAsync()
    {
        if (Traffic is not null)
        {
            await Traffic.DisposeAsync();
        }
        if (Client is not null)
        {
            await Client.DisposeAsync();
        }
        if (Prometheus is not null)
        {
            await Prometheus.DisposeAsync();
        }
        if (Directory.Exists(RunDir))
        {
            KeepLogs();
            var down = await DownAsync("--purge");
            if (down.ExitCode != 0)
            {
                Console.Error.WriteLine($"deploy tests: down.sh --purge failed:\n{down.Output}");
            }
        }
        if (Receiver is not null)
        {
            await Receiver.DisposeAsync();
        }
    }

    /// <summary>The logs of the last run stay in /tmp/betrace-deploy-logs for a look after a failure.</summary>
    private void KeepLogs()
    {
        var logs = Path.Combine(RunDir, "logs");
        if (!Directory.Exists(logs))
        {
            return;
        }
        var target = Path.Combine("/tmp", "betrace-deploy-logs");
        try
        {
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }
            Directory.CreateDirectory(target);
            foreach (var file in Directory.GetFiles(logs))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static Dictionary<string, string> ReadEndpoints(string file) =>
        File.ReadAllLines(file)
            .Where(line => line.Contains('=', StringComparison.Ordinal) && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);

    /// <summary>Stops and deletes the clusters of earlier test runs whose test process died without disposing them.</summary>
    private static async Task CleanUpAbandonedRunsAsync()
    {
        foreach (var folder in Directory.GetDirectories("/tmp", RunFolderPrefix + "*"))
        {
            var parts = Path.GetFileName(folder)[RunFolderPrefix.Length..].Split('-');
            if (parts.Length != 2 || !int.TryParse(parts[0], out var pid) || ProcessIsAlive(pid))
            {
                continue;
            }
            await DeployScript.RunAsync("down.sh", ["--run-dir", folder, "--timeout", "30", "--purge"], null, TimeSpan.FromMinutes(3));
        }
    }

    private static bool ProcessIsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
