using System.Globalization;

namespace BeTrace.Bench.Load;

/// <summary>What the load run does (see <see cref="Usage"/> and docs/benchmarks.md, "End-to-end load").</summary>
internal enum LoadPhase
{
    /// <summary>Baselines, then end to end (throughput, evaluation rate, detection latency).</summary>
    EndToEnd,

    /// <summary>Managed memory per live trace (needs a silo with a long idle timeout; --start-silo starts one).</summary>
    Memory,

    /// <summary>Decode-only and engine-only baselines; no silo.</summary>
    Baselines,

    /// <summary>Baselines, end to end, then memory.</summary>
    All,
}

internal enum SendProtocol
{
    Grpc,
    Http,
}

/// <summary>The options of <c>bench -- load</c>; parsed from the command line by <see cref="Parse"/>.</summary>
internal sealed class LoadOptions
{
    public const string Usage = """
        dotnet run -c Release --project bench -- load [options]

        Sends generated OTLP traces to a BeTrace silo and measures spans/s accepted, traces evaluated/s, detection
        latency and managed memory per live trace, plus two in-process baselines (decode only, engine only).

        phase and silo
          --phase e2e|memory|baselines|all   default e2e (= baselines, then end to end)
          --start-silo                       start the silo (silo/bin/Release/net10.0/BeTrace.Silo.dll) with a temp
                                             --data dir, the receiver as OTEL_EXPORTER_OTLP_ENDPOINT and --idle, and
                                             load the rules through an Orleans client; stopped at the end
          --silo-dll PATH                    the silo to start (default: found from the repository root)
          --silo-env KEY=VALUE               extra environment for the started silo (repeatable)
          --load-rules                       load the rules into an already running silo (implied by --start-silo)
          --orleans-gateway-port N           the silo's Orleans client gateway, default 30000
          --tenant NAME                      tenant for rules and requests (X-Scope-OrgID), default "default"
        endpoints
          --otlp URL                         OTLP/gRPC endpoint, default http://127.0.0.1:4317
          --otlp-http URL                    OTLP/HTTP base, default http://127.0.0.1:4318 (POST URL/v1/traces)
          --protocol grpc|http               default grpc
          --metrics URL                      the silo's Prometheus endpoint, default http://127.0.0.1:9464/metrics
          --receiver-port N                  this generator's OTLP receiver for violations: gRPC on 127.0.0.1:N,
                                             HTTP on N+1; default 14317
        traffic
          --spans-per-trace N                default 20 (at least 20)
          --attributes N                     attributes per span, default 10 (at least the ones the rules read)
          --violating F                      share of traces that violate exactly one known rule, default 0.10
          --rules N                          how many of the 50 load rules to load and evaluate, default 50
          --rate N                           spans/s to offer; 0 = as fast as possible (default 0)
          --concurrency N                    export requests in flight, default 8
          --batch N                          spans per export request (whole traces), default 500
          --pool N                           distinct pre-built requests (trace ids are patched per send), default 64
          --warmup DURATION                  default 10s (not counted)
          --duration DURATION                measured time, default 30s
          --idle DURATION                    the silo's BeTrace:Traces:IdleTimeout (subtracted from detection
                                             latency; passed to a started silo), default 2s
          --drain DURATION                   extra wait for violations after the last send, default 10s
          --no-probe                         skip the probe (one violating trace per rule must come back first)
        memory phase
          --memory-traces N                  live traces to hold, default 20000
          --memory-idle DURATION             idle timeout of the memory silo, default 10m
          --gcdump PATH                      dotnet-gcdump (forces a full GC in the silo before each heap reading);
                                             default: found on PATH or ~/.dotnet/tools
        baselines
          --baseline-time DURATION           time of each baseline, default 3s
        other
          --seed N                           default 1
          --check                            unit check without a silo: rules vs. mutations, request patching,
                                             receiver, Prometheus parser, sender against the own receiver, baselines
        """;

    public LoadPhase Phase { get; private set; } = LoadPhase.EndToEnd;

    public bool StartSilo { get; private set; }

    public string? SiloDll { get; private set; }

    public List<KeyValuePair<string, string>> SiloEnvironment { get; } = [];

    public bool LoadRules { get; private set; }

    public int OrleansGatewayPort { get; private set; } = 30000;

    public string Tenant { get; private set; } = "default";

    public Uri OtlpGrpc { get; private set; } = new("http://127.0.0.1:4317");

    public Uri OtlpHttp { get; private set; } = new("http://127.0.0.1:4318");

    public SendProtocol Protocol { get; private set; } = SendProtocol.Grpc;

    public Uri Metrics { get; private set; } = new("http://127.0.0.1:9464/metrics");

    public int ReceiverPort { get; private set; } = 14317;

    public int SpansPerTrace { get; private set; } = 20;

    public int AttributesPerSpan { get; private set; } = 10;

    public double ViolatingShare { get; private set; } = 0.10;

    public int RuleCount { get; private set; } = LoadRuleSet.Count;

    public double Rate { get; private set; }

    public int Concurrency { get; private set; } = 8;

    public int SpansPerRequest { get; private set; } = 500;

    public int PoolSize { get; private set; } = 64;

    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(10);

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(30);

    public TimeSpan IdleTimeout { get; private set; } = TimeSpan.FromSeconds(2);

    public TimeSpan Drain { get; private set; } = TimeSpan.FromSeconds(10);

    public bool Probe { get; private set; } = true;

    public int MemoryTraces { get; private set; } = 20000;

    public TimeSpan MemoryIdle { get; private set; } = TimeSpan.FromMinutes(10);

    public string? GcDump { get; private set; }

    public TimeSpan BaselineTime { get; private set; } = TimeSpan.FromSeconds(3);

    public int Seed { get; private set; } = 1;

    public bool Check { get; private set; }

    /// <summary>Parses the arguments after the verb; throws <see cref="ArgumentException"/> with a readable message.</summary>
    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var o = new LoadOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count)
                {
                    throw new ArgumentException($"{name} needs a value");
                }
                return args[++i];
            }
            switch (name)
            {
                case "--phase":
                    o.Phase = Value() switch
                    {
                        "e2e" => LoadPhase.EndToEnd,
                        "memory" => LoadPhase.Memory,
                        "baselines" => LoadPhase.Baselines,
                        "all" => LoadPhase.All,
                        var other => throw new ArgumentException($"--phase {other}: expected e2e, memory, baselines or all"),
                    };
                    break;
                case "--start-silo": o.StartSilo = true; o.LoadRules = true; break;
                case "--silo-dll": o.SiloDll = Value(); break;
                case "--silo-env":
                    var pair = Value();
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new ArgumentException($"--silo-env {pair}: expected KEY=VALUE");
                    }
                    o.SiloEnvironment.Add(new(pair[..eq], pair[(eq + 1)..]));
                    break;
                case "--load-rules": o.LoadRules = true; break;
                case "--orleans-gateway-port": o.OrleansGatewayPort = Int(name, Value(), 1, 65535); break;
                case "--tenant": o.Tenant = Value(); break;
                case "--otlp": o.OtlpGrpc = Url(name, Value()); break;
                case "--otlp-http": o.OtlpHttp = Url(name, Value()); break;
                case "--protocol":
                    o.Protocol = Value() switch
                    {
                        "grpc" => SendProtocol.Grpc,
                        "http" or "http/protobuf" => SendProtocol.Http,
                        var other => throw new ArgumentException($"--protocol {other}: expected grpc or http"),
                    };
                    break;
                case "--metrics": o.Metrics = Url(name, Value()); break;
                case "--receiver-port": o.ReceiverPort = Int(name, Value(), 1, 65534); break;
                case "--spans-per-trace": o.SpansPerTrace = Int(name, Value(), TraceFactory.BaseSpanCount, 10000); break;
                case "--attributes": o.AttributesPerSpan = Int(name, Value(), 0, 128); break;
                case "--violating": o.ViolatingShare = Double(name, Value(), 0, 1); break;
                case "--rules": o.RuleCount = Int(name, Value(), 1, LoadRuleSet.Count); break;
                case "--rate": o.Rate = Double(name, Value(), 0, 1e9); break;
                case "--concurrency": o.Concurrency = Int(name, Value(), 1, 4096); break;
                case "--batch": o.SpansPerRequest = Int(name, Value(), 1, 100000); break;
                case "--pool": o.PoolSize = Int(name, Value(), 1, 100000); break;
                case "--warmup": o.Warmup = Time(name, Value()); break;
                case "--duration": o.Duration = Time(name, Value()); break;
                case "--idle": o.IdleTimeout = Time(name, Value()); break;
                case "--drain": o.Drain = Time(name, Value()); break;
                case "--no-probe": o.Probe = false; break;
                case "--memory-traces": o.MemoryTraces = Int(name, Value(), 1, 10_000_000); break;
                case "--memory-idle": o.MemoryIdle = Time(name, Value()); break;
                case "--gcdump": o.GcDump = Value(); break;
                case "--baseline-time": o.BaselineTime = Time(name, Value()); break;
                case "--seed": o.Seed = Int(name, Value(), int.MinValue, int.MaxValue); break;
                case "--check": o.Check = true; break;
                default: throw new ArgumentException($"unknown option {name}");
            }
        }
        return o;
    }

    /// <summary>Reads "500ms", "2s", "10m", "1h", a plain number of seconds, or a TimeSpan ("00:00:02").</summary>
    public static TimeSpan Time(string name, string text)
    {
        static bool Number(string s, out double value) =>
            double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value >= 0;

        TimeSpan? result = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) && Number(text[..^2], out var ms) => TimeSpan.FromMilliseconds(ms),
            _ when text.EndsWith('s') && Number(text[..^1], out var s) => TimeSpan.FromSeconds(s),
            _ when text.EndsWith('m') && Number(text[..^1], out var m) => TimeSpan.FromMinutes(m),
            _ when text.EndsWith('h') && Number(text[..^1], out var h) => TimeSpan.FromHours(h),
            _ when Number(text, out var plain) => TimeSpan.FromSeconds(plain),
            _ when TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero => span,
            _ => null,
        };
        return result ?? throw new ArgumentException($"{name} {text}: expected a duration such as 500ms, 2s, 10m or 00:00:02");
    }

    /// <summary>A duration as a .NET configuration value (what BeTrace__Traces__IdleTimeout reads).</summary>
    public static string ConfigValue(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    private static int Int(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} {text}: expected an integer from {min} to {max}");

    private static double Double(string name, string text, double min, double max) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} {text}: expected a number from {min} to {max}");

    private static Uri Url(string name, string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ArgumentException($"{name} {text}: expected an http:// URL");
}
