using System.CommandLine;
using BeTrace.Console.Cluster;
using BeTrace.Console.Output;
using BeTrace.Console.Rules;
using BeTrace.Console.Violations;
using BeTrace.Grains.Interfaces.Violations;

namespace BeTrace.Console.Commands;

/// <summary>
/// <c>betrace violations list [--rule ID] [--severity LEVEL] [--since AGE|TIME] [--limit N] [--json]</c>: the
/// tenant's most recent violations from the cluster's bounded log, newest first.
/// </summary>
public static class ViolationsListCommand
{
    public static Command Build(CliIo io)
    {
        var connection = new ConnectionOptions();
        var filters = new ViolationFilterOptions();
        var since = new Option<string?>("--since") { Description = "Only violations detected since: an age (30s, 15m, 2h, 7d) or a time (ISO 8601).", HelpName = "AGE|TIME" };
        var limit = new Option<int>("--limit") { Description = "At most this many violations.", DefaultValueFactory = _ => 100, HelpName = "N" };
        var json = RulesCommands.JsonOption("Print one JSON object per violation and line (the input of violations verify).");
        var command = new Command("list", "List the tenant's recent violations, newest first.") { since, limit, json };
        connection.AddTo(command);
        filters.AddTo(command);
        command.SetAction((result, cancel) => ClusterCommandRunner.RunAsync(io, () => connection.Read(result), async (cluster, settings, _) =>
        {
            var count = result.GetValue(limit);
            if (count <= 0)
            {
                throw new CliInputException("--limit must be at least 1");
            }
            var query = new ViolationQuery(result.GetValue(filters.Rule), filters.MinimumSeverity(result),
                result.GetValue(since) is { } text ? SinceText.Parse(text, DateTimeOffset.UtcNow) : null, count);
            var violations = await cluster.Client.GetGrain<IViolationLogGrain>(settings.Tenant).List(query);
            if (result.GetValue(json))
            {
                foreach (var violation in violations)
                {
                    io.Out.WriteLine(JsonOutput.Line(ViolationView.From(violation)));
                }
                return ExitCodes.Ok;
            }
            if (violations.Length == 0)
            {
                io.Out.WriteLine($"no violations for tenant '{settings.Tenant}'");
                return ExitCodes.Ok;
            }
            var table = new TextTable("DETECTED", "SEVERITY", "RULE", "TRACE", "WITNESS", "COMPLETE", "COMPLIANCE", "SIGNED");
            foreach (var v in violations)
            {
                table.Add(TimeText.Utc(v.DetectedAt), SeverityText.Name(v.Severity), v.RuleId, v.TraceId, v.WitnessSpanId,
                    v.TraceComplete ? "yes" : "no", $"{v.ComplianceFramework} {v.ComplianceControl}".Trim(), v.Signature.Length > 0 ? "yes" : "no");
            }
            table.WriteTo(io.Out);
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }
}
