using System.Diagnostics;

namespace BeTrace.Bench.Load;

/// <summary>
/// <c>dotnet run -c Release --project bench -- load [options]</c>: the end-to-end load benchmark of the gateway issue
/// (docs/benchmarks.md, "End-to-end load"). Exit code 0 when every phase ran, 1 when one failed, 2 for bad options.
/// </summary>
internal static class LoadCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(LoadOptions.Usage);
            return 0;
        }
        LoadOptions options;
        try
        {
            options = LoadOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"load: {ex.Message}\n\n{LoadOptions.Usage}").ConfigureAwait(false);
            return 2;
        }
        var output = Console.Out;
        if (options.Check)
        {
            return await SelfCheck.RunAsync(options, output).ConfigureAwait(false);
        }

        output.WriteLine($"BeTrace load: {MachineInfo.Describe()}; load average {MachineInfo.LoadAverage()}; {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC");
        output.WriteLine($"command: load {string.Join(' ', args)}");
        var factory = new TraceFactory(options.SpansPerTrace, options.AttributesPerSpan);
        var rules = LoadRuleSet.Compile(options.RuleCount);
        var problems = LoadRuleSet.Verify(factory, rules, samples: 2, seed: options.Seed);
        if (problems.Count > 0)
        {
            output.WriteLine($"the load rules do not match their mutations: {string.Join("; ", problems.Take(5))}");
            return 1;
        }
        var watch = Stopwatch.StartNew();
        var pool = RequestPool.Build(options, factory);
        output.WriteLine($"traffic: {pool.Requests.Count} pooled requests x {pool.Requests[0].SpanCount} spans ({pool.TracesPerRequest} traces of "
            + $"{pool.SpansPerTrace} spans, {options.AttributesPerSpan} attributes per span), {pool.ViolatingTraces} of {pool.TotalTraces} traces "
            + $"violate one of {options.RuleCount} rules; {pool.Requests.Average(r => r.Bytes.Length) / 1024:F0} KiB per request, "
            + $"{pool.Requests.Average(r => (double)r.Bytes.Length / r.SpanCount):F0} B per span on the wire; built in {watch.Elapsed.TotalSeconds:F1} s");

        var ok = true;
        if (options.Phase is LoadPhase.EndToEnd or LoadPhase.Baselines or LoadPhase.All)
        {
            RunBaselines(options, pool, rules, output);
        }
        if (options.Phase is LoadPhase.EndToEnd or LoadPhase.All)
        {
            ok &= await WithSiloAsync(options, options.IdleTimeout, memory: false, output,
                (tracker, scraper, pid) => new EndToEndRun(options, pool, factory, tracker, scraper, output).RunAsync()).ConfigureAwait(false);
        }
        if (options.Phase is LoadPhase.Memory or LoadPhase.All)
        {
            ok &= await WithSiloAsync(options, options.MemoryIdle, memory: true, output,
                (_, scraper, pid) => new MemoryRun(options, pool, scraper, pid, output).RunAsync()).ConfigureAwait(false);
        }
        output.WriteLine($"load average at the end: {MachineInfo.LoadAverage()}");
        return ok ? 0 : 1;
    }

    private static void RunBaselines(LoadOptions options, RequestPool pool, Dsl.Evaluation.CompiledRule[] rules, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"== baselines (one thread, same {pool.Requests.Count} requests, {options.BaselineTime.TotalSeconds:F0} s each; load average {MachineInfo.LoadAverage()})");
        var decode = Baselines.DecodeOnly(pool, options.BaselineTime);
        output.WriteLine($"decode only (ExportTraceServiceRequest.Parser.ParseFrom): {decode.SpansPerSecond:N0} spans/s, "
            + $"{decode.AllocatedPerSpan:N0} B allocated per span");
        var engine = Baselines.EngineOnly(pool, rules, options.BaselineTime);
        var measured = engine.ConvertTime + engine.EvaluateTime;
        output.WriteLine($"engine only (convert + group + TraceView + {rules.Length} rules): {engine.SpansPerSecond:N0} spans/s "
            + $"({engine.Traces / engine.Elapsed.TotalSeconds:N0} traces/s), {engine.AllocatedPerSpan:N0} B allocated per span; "
            + $"time split: convert+group {engine.ConvertTime / measured * 100:F0}%, TraceView+evaluate {engine.EvaluateTime / measured * 100:F0}% "
            + $"({engine.EvaluateTime.TotalMicroseconds / engine.Traces:F2} µs per trace); mismatches {engine.Mismatches}");
        output.WriteLine($"decode + engine in series on one core: {1 / (1 / decode.SpansPerSecond + 1 / engine.SpansPerSecond):N0} spans/s");
    }

    /// <summary>Starts the receiver (and the silo with --start-silo, loading the rules), runs <paramref name="phase"/>, stops them.</summary>
    private static async Task<bool> WithSiloAsync(LoadOptions options, TimeSpan idle, bool memory, TextWriter output,
        Func<DetectionTracker, PrometheusScraper, int?, Task<bool>> phase)
    {
        var tracker = new DetectionTracker(idle);
        await using var receiver = await ViolationReceiver.StartAsync(tracker, options.ReceiverPort, options.ReceiverPort + 1).ConfigureAwait(false);
        using var scraper = new PrometheusScraper(options.Metrics);
        SiloLauncher? silo = null;
        try
        {
            if (options.StartSilo)
            {
                var environment = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.GrpcEndpoint.ToString().TrimEnd('/'),
                    ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
                    ["BeTrace__Traces__IdleTimeout"] = LoadOptions.ConfigValue(idle),
                };
                if (memory)
                {
                    environment["BeTrace__Traces__MaxTraceAge"] = LoadOptions.ConfigValue(idle * 2);
                }
                foreach (var (key, value) in options.SiloEnvironment)
                {
                    environment[key] = value;
                }
                var dll = SiloLauncher.FindSiloDll(options.SiloDll);
                silo = SiloLauncher.Start(dll, environment, []);
                output.WriteLine();
                output.WriteLine($"silo: pid {silo.ProcessId}, {dll}, data {silo.DataDirectory}, "
                    + string.Join(", ", environment.Select(kv => $"{kv.Key}={kv.Value}")));
                var watch = Stopwatch.StartNew();
                await silo.WaitUntilReadyAsync(options.Metrics, TimeSpan.FromSeconds(120)).ConfigureAwait(false);
                output.WriteLine($"silo ready in {watch.Elapsed.TotalSeconds:F1} s");
            }
            if (options.LoadRules)
            {
                var others = await SiloLauncher.LoadRulesAsync(options.OrleansGatewayPort, options.Tenant, options.RuleCount, output).ConfigureAwait(false);
                if (others.Count > 0)
                {
                    output.WriteLine($"warning: tenant '{options.Tenant}' has {others.Count} other enabled rules ({string.Join(", ", others.Take(5))}…); "
                        + "their violations count as unexpected");
                }
            }
            else if (!memory)
            {
                output.WriteLine($"receiver: OTLP/gRPC {receiver.GrpcEndpoint}, OTLP/HTTP {receiver.HttpEndpoint} — the silo must export there "
                    + $"(OTEL_EXPORTER_OTLP_ENDPOINT), have the load rules (--load-rules) and an idle timeout of {idle.TotalSeconds:F1} s");
            }
            var ok = await phase(tracker, scraper, silo?.ProcessId).ConfigureAwait(false);
            output.WriteLine($"receiver: {receiver.Requests:N0} export requests, {receiver.Spans:N0} spans received");
            return ok;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or FileNotFoundException or Orleans.Runtime.OrleansException)
        {
            output.WriteLine($"load: {ex.Message}");
            return false;
        }
        finally
        {
            if (silo is not null)
            {
                await silo.KillAsync().ConfigureAwait(false);
                output.WriteLine($"silo killed; its log: {silo.KeptLogFile}");
                await silo.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
