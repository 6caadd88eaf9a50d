using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using BeTrace.Console.Cluster;
using BeTrace.Console.Output;
using BeTrace.Console.Replay;
using BeTrace.Console.Rules;
using BeTrace.Dsl.Traces;
using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Console.Commands;

/// <summary>
/// <c>betrace replay (--rules FILE | --rule ID)… --traces FILE|-</c>: evaluates rules against recorded traces with the
/// local engine and reports which traces violate which rules. The trace file is streamed line by line (OTLP/JSON
/// requests, one per line, as the Collector's file exporter writes them), so its size does not matter. Only
/// <c>--rule ID</c> contacts the cluster, to fetch that rule's expression; evaluation never does.
/// </summary>
public static class ReplayCommand
{
    private const int ShownUnreadable = 10;

    public static Command Build(CliIo io)
    {
        var connection = new ConnectionOptions();
        var rulesFiles = new Option<string[]>("--rules")
        {
            Description = "A YAML rule pack, or a rule file (one expression, named after the file). Repeatable.",
            HelpName = "FILE",
        };
        var ruleIds = new Option<string[]>("--rule")
        {
            Description = "A stored rule of the tenant, fetched from the cluster (only its expression; evaluation stays local). Repeatable.",
            HelpName = "ID",
        };
        var traces = new Option<string>("--traces")
        {
            Description = "Recorded traces: OTLP/JSON requests one per line (Collector file exporter), or corpus span arrays; '-' reads standard input.",
            HelpName = "FILE",
            Required = true,
        };
        var window = new Option<long>("--window")
        {
            Description = "A trace with no new span for this many lines is complete and evaluated (bounds memory).",
            DefaultValueFactory = _ => 10_000,
            HelpName = "LINES",
        };
        var progress = new Option<long>("--progress-every")
        {
            Description = "Progress on stderr every N lines (and at least every 5 s); 0 turns it off.",
            DefaultValueFactory = _ => 100_000,
            HelpName = "N",
        };
        var json = RulesCommands.JsonOption("Print one JSON object per violation and line, and no summary table.");
        var command = new Command("replay", "Evaluate rules against recorded traces (offline) and report which traces violate which rules.")
        {
            rulesFiles, ruleIds, traces, window, progress, json,
        };
        connection.AddTo(command);
        command.SetAction(async (result, cancel) =>
        {
            // Return to the invocation pipeline first: it listens for Ctrl+C only once the action has returned a task.
            await Task.Yield();
            var files = result.GetValue(rulesFiles) ?? [];
            var ids = result.GetValue(ruleIds) ?? [];
            if (files.Length == 0 && ids.Length == 0)
            {
                io.Error.WriteLine("betrace: give the rules with --rules FILE or --rule ID");
                return ExitCodes.BadInput;
            }
            var sources = new List<ReplaySource>();
            if (ids.Length > 0)
            {
                var fetched = await ClusterCommandRunner.RunAsync(io, () => connection.Read(result),
                    (cluster, settings, _) => FetchAsync(io, cluster, settings, ids, sources), cancel);
                if (fetched != ExitCodes.Ok)
                {
                    return fetched;
                }
            }
            return await DslCommands.GuardAsync(io, () =>
            {
                sources.AddRange(files.SelectMany(file => ReplayRuleLoader.FromFile(io, file)));
                var rules = ReplayRuleLoader.Compile(io, sources);
                if (rules is null)
                {
                    return Task.FromResult(ExitCodes.InvalidRule);
                }
                var options = new Settings(result.GetValue(traces)!, result.GetValue(window), result.GetValue(progress), result.GetValue(json));
                return Task.FromResult(Run(io, rules, options, cancel));
            });
        });
        return command;
    }

    private sealed record Settings(string Traces, long Window, long ProgressEvery, bool Json);

    private static async Task<int> FetchAsync(CliIo io, ClusterConnection cluster, ConnectionSettings settings, string[] ids, List<ReplaySource> sources)
    {
        var registry = RulesCommands.Registry(cluster, settings);
        foreach (var id in ids)
        {
            if (await registry.Get(id) is not { } rule)
            {
                io.Error.WriteLine($"betrace: tenant '{settings.Tenant}' has no rule '{id}'");
                return ExitCodes.NotFound;
            }
            io.Error.WriteLine($"replay: fetched the expression of rule '{id}' (version {rule.Version}) from tenant '{settings.Tenant}'; evaluation is local");
            sources.Add(ReplayRuleLoader.FromStored(rule, settings.Tenant));
        }
        return ExitCodes.Ok;
    }

    private static int Run(CliIo io, IReadOnlyList<ReplayRule> rules, Settings settings, CancellationToken cancel)
    {
        if (settings.Window <= 0)
        {
            throw new CliInputException("--window must be at least 1 line");
        }
        var perRule = rules.ToDictionary(rule => rule.Id, _ => 0L, StringComparer.Ordinal);
        var replayer = new TraceReplayer(rules, settings.Window, violation =>
        {
            perRule[violation.Rule.Id]++;
            io.Out.WriteLine(settings.Json ? AsJson(violation) : AsText(violation));
        });
        var progress = new ReplayProgress(io.Error, settings.ProgressEvery);
        long lines;
        long unreadable;
        try
        {
            (lines, unreadable) = Stream(io, settings.Traces, replayer, progress, cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            io.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"replay: interrupted: {replayer.Traces} traces evaluated, {replayer.Violations} violations; {replayer.Open} open traces not evaluated"));
            return ExitCodes.Interrupted;
        }
        replayer.Finish();
        if (!settings.Json)
        {
            WriteSummary(io.Out, rules, perRule);
        }
        io.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"replay: done: {lines} lines, {replayer.Spans} spans, {replayer.Traces} traces, {replayer.Violations} violations of {rules.Count} rules, {unreadable} unreadable lines, {progress.Elapsed.TotalSeconds:0.0} s"));
        return unreadable > 0 ? ExitCodes.BadInput : replayer.Violations > 0 ? ExitCodes.Violation : ExitCodes.Ok;
    }

    /// <summary>Feeds the input line by line; a pretty-printed single document (first line not JSON) is read whole instead.</summary>
    private static (long Lines, long Unreadable) Stream(CliIo io, string path, TraceReplayer replayer, ReplayProgress progress, CancellationToken cancel)
    {
        using var reader = Open(io, path);
        long number = 0;
        long unreadable = 0;
        var first = true;
        while (reader.ReadLine() is { } line)
        {
            number++;
            cancel.ThrowIfCancellationRequested();
            if (line.AsSpan().Trim().Length == 0)
            {
                continue;
            }
            try
            {
                using var document = JsonDocument.Parse(line);
                replayer.Add(document.RootElement, $"line {number}", number);
            }
            catch (JsonException) when (first && path != "-")
            {
                reader.Dispose();
                return (WholeDocument(path, replayer), 0);
            }
            catch (Exception ex) when (ex is JsonException or TraceFormatException)
            {
                if (++unreadable <= ShownUnreadable)
                {
                    io.Error.WriteLine($"{path}:{number}: skipped: {ex.Message}");
                }
            }
            first = false;
            progress.Tick(number, replayer);
        }
        return (number, unreadable);
    }

    private static long WholeDocument(string path, TraceReplayer replayer)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
            replayer.Add(document.RootElement, path, 1);
            return File.ReadLines(path).LongCount();
        }
        catch (Exception ex) when (ex is JsonException or TraceFormatException)
        {
            throw new CliInputException($"{path}: neither JSON lines nor one JSON document: {ex.Message}", ex);
        }
    }

    private static TextReader Open(CliIo io, string path)
    {
        if (path == "-")
        {
            return io.In;
        }
        try
        {
            return new StreamReader(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"cannot read {path}: {ex.Message}", ex);
        }
    }

    private static string AsText(ReplayViolation v)
    {
        var line = $"trace {v.TraceId}: VIOLATION of '{v.Rule.Id}' ({SeverityText.Name(v.Rule.Severity)}, {v.Trace.Count} spans)";
        if (v.WhenWitness is { } when)
        {
            line += $"; when witness span {when.SpanId} '{when.Name}'";
        }
        if (v.NeverWitness is { } never)
        {
            line += $"; never witness span {never.SpanId} '{never.Name}'";
        }
        return line;
    }

    private static string AsJson(ReplayViolation v) => JsonOutput.Line(new
    {
        v.TraceId,
        RuleId = v.Rule.Id,
        RuleName = v.Rule.Name,
        Severity = SeverityText.Name(v.Rule.Severity),
        Spans = v.Trace.Count,
        WhenWitness = v.WhenWitness?.SpanId,
        NeverWitness = v.NeverWitness?.SpanId,
    });

    private static void WriteSummary(TextWriter output, IReadOnlyList<ReplayRule> rules, Dictionary<string, long> perRule)
    {
        output.WriteLine();
        var table = new TextTable("RULE", "SEVERITY", "VIOLATING TRACES");
        foreach (var rule in rules)
        {
            table.Add(rule.Id, SeverityText.Name(rule.Severity), perRule[rule.Id].ToString(CultureInfo.InvariantCulture));
        }
        table.WriteTo(output);
    }
}
