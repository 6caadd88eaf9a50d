using System.CommandLine;
using System.Globalization;
using BeTrace.Console.Cluster;
using BeTrace.Console.Output;
using BeTrace.Console.Rules;

namespace BeTrace.Console.Commands;

/// <summary>
/// <c>betrace rules import FILE|- [--partial] [--dry-run]</c>: stores a YAML rule pack, all or nothing unless
/// <c>--partial</c>, and reports what happened to every rule.
/// </summary>
public static class RulesImportCommand
{
    public static Command Build(CliIo io, ConnectionOptions connection)
    {
        var file = new Argument<string>("FILE") { Description = "The YAML rule pack; '-' reads it from standard input." };
        var partial = new Option<bool>("--partial") { Description = "Store the valid rules even when others are invalid or refused." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check the pack and show what would change; store nothing." };
        var json = RulesCommands.JsonOption("Print the report as a JSON object.");
        var command = new Command("import", "Import a YAML rule pack: all or nothing unless --partial; reports every rule.") { file, partial, dryRun, json };
        command.SetAction((result, cancel) => ClusterCommandRunner.RunAsync(io, () => connection.Read(result), async (cluster, settings, _) =>
        {
            var path = result.GetValue(file)!;
            var source = path == "-" ? "<stdin>" : path;
            var pack = RulePackReader.Read(io.ReadText(path), source);
            if (pack.Rules.Count == 0)
            {
                throw new CliInputException($"{source}: the pack has no rules");
            }
            var report = await new RuleImporter(RulesCommands.Registry(cluster, settings))
                .ImportAsync(pack, result.GetValue(partial), result.GetValue(dryRun));
            if (result.GetValue(json))
            {
                io.Out.WriteLine(JsonOutput.Document(new
                {
                    Pack = pack.Name,
                    settings.Tenant,
                    report.Stored,
                    report.DryRun,
                    Rules = report.Rules.Select(outcome => new
                    {
                        outcome.Rule.Id,
                        outcome.Rule.Line,
                        Result = outcome.Result.ToString().ToLowerInvariant(),
                        outcome.Detail,
                        Error = outcome.Issue?.Error is { } error
                            ? new { Code = error.Code.ToString(), error.Message, error.Line, error.Column }
                            : null,
                    }),
                }));
            }
            else
            {
                WriteText(io.Out, report, pack, source, settings.Tenant, result.GetValue(partial));
            }
            return report.ExitCode;
        }, cancel));
        return command;
    }

    private static void WriteText(TextWriter output, ImportReport report, RulePack pack, string source, string tenant, bool partial)
    {
        var table = new TextTable("RULE", "RESULT", "DETAIL");
        foreach (var outcome in report.Rules)
        {
            table.Add(outcome.Rule.Label, Name(outcome.Result), outcome.Detail.Split('\n')[0]);
        }
        table.WriteTo(output);
        foreach (var outcome in report.Rules.Where(outcome => outcome.Issue?.Error is not null))
        {
            output.WriteLine();
            output.WriteLine($"{source}:{outcome.Rule.Line}: rule '{outcome.Rule.Label}': {PackRuleCheck.Describe(outcome.Issue!, outcome.Rule)}");
        }
        output.WriteLine();
        var invalid = report.Count(ImportResult.Invalid);
        var counts = string.Create(CultureInfo.InvariantCulture,
            $"{report.Count(ImportResult.Created)} created, {report.Count(ImportResult.Updated)} updated, {report.Count(ImportResult.Unchanged)} unchanged, {invalid} invalid");
        if (report.DryRun)
        {
            output.WriteLine($"dry run for tenant '{tenant}': {counts}; nothing stored");
        }
        else if (!report.Stored && invalid + report.Count(ImportResult.Failed) > 0)
        {
            output.WriteLine($"nothing imported into tenant '{tenant}': {invalid + report.Count(ImportResult.Failed)} of {report.Rules.Count} rules invalid or refused"
                + (invalid > 0 && !partial ? " (--partial stores the valid ones)" : ""));
        }
        else
        {
            output.WriteLine($"imported {(pack.Name is null ? source : $"pack '{pack.Name}'")} into tenant '{tenant}': {counts}"
                + (report.Count(ImportResult.Failed) > 0 ? $", {report.Count(ImportResult.Failed)} refused" : ""));
        }
    }

    private static string Name(ImportResult result) => result switch
    {
        ImportResult.RolledBack => "rolled back",
        _ => result.ToString().ToLowerInvariant(),
    };
}
