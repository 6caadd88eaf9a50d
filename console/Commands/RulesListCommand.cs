using System.CommandLine;
using BeTrace.Console.Cluster;
using BeTrace.Console.Output;
using BeTrace.Console.Rules;
using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Console.Commands;

/// <summary><c>betrace rules list</c>: every rule of the tenant, one row each.</summary>
public static class RulesListCommand
{
    public static Command Build(CliIo io, ConnectionOptions connection)
    {
        var json = RulesCommands.JsonOption("Print a JSON array of rules instead of a table.");
        var command = new Command("list", "List the tenant's rules.") { json };
        command.SetAction((result, cancel) => ClusterCommandRunner.RunAsync(io, () => connection.Read(result), async (cluster, settings, _) =>
        {
            var rules = await RulesCommands.Registry(cluster, settings).List();
            if (result.GetValue(json))
            {
                io.Out.WriteLine(JsonOutput.Document(rules.Select(RuleView.From)));
                return ExitCodes.Ok;
            }
            if (rules.Length == 0)
            {
                io.Out.WriteLine($"tenant '{settings.Tenant}' has no rules");
                return ExitCodes.Ok;
            }
            var table = new TextTable("ID", "NAME", "SEVERITY", "ENABLED", "VERSION", "TAGS", "COMPLIANCE", "UPDATED");
            foreach (var rule in rules)
            {
                table.Add(rule.Id, rule.Name, SeverityText.Name(rule.Severity), rule.Enabled ? "yes" : "no",
                    rule.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(",", rule.Tags),
                    Compliance(rule), TimeText.Utc(rule.Updated));
            }
            table.WriteTo(io.Out);
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }

    public static string? Compliance(RuleDefinition rule) =>
        rule.ComplianceFramework is null && rule.ComplianceControl is null
            ? null
            : $"{rule.ComplianceFramework} {rule.ComplianceControl}".Trim();
}
