using System.CommandLine;
using System.Globalization;
using BeTrace.Console.Cluster;
using BeTrace.Console.Output;
using BeTrace.Console.Rules;
using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Console.Commands;

/// <summary><c>betrace rules get ID</c>: one rule with every field, including its version (what <c>update --version</c> wants).</summary>
public static class RulesGetCommand
{
    public static Command Build(CliIo io, ConnectionOptions connection)
    {
        var id = RulesCommands.RuleIdArgument();
        var json = RulesCommands.JsonOption("Print the rule as a JSON object.");
        var command = new Command("get", "Show one rule.") { id, json };
        command.SetAction((result, cancel) => ClusterCommandRunner.RunAsync(io, () => connection.Read(result), async (cluster, settings, _) =>
        {
            var ruleId = result.GetValue(id)!;
            var rule = await RulesCommands.Registry(cluster, settings).Get(ruleId);
            if (rule is null)
            {
                io.Error.WriteLine($"betrace: tenant '{settings.Tenant}' has no rule '{ruleId}'");
                return ExitCodes.NotFound;
            }
            if (result.GetValue(json))
            {
                io.Out.WriteLine(JsonOutput.Document(RuleView.From(rule)));
            }
            else
            {
                Write(io.Out, rule);
            }
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }

    private static void Write(TextWriter output, RuleDefinition rule)
    {
        output.WriteLine($"id:          {rule.Id}");
        output.WriteLine($"name:        {rule.Name}");
        output.WriteLine($"severity:    {SeverityText.Name(rule.Severity)}");
        output.WriteLine($"enabled:     {(rule.Enabled ? "yes" : "no")}");
        output.WriteLine($"version:     {rule.Version.ToString(CultureInfo.InvariantCulture)}");
        output.WriteLine($"tags:        {(rule.Tags.Length == 0 ? "-" : string.Join(", ", rule.Tags))}");
        output.WriteLine($"compliance:  {RulesListCommand.Compliance(rule) ?? "-"}");
        output.WriteLine($"created:     {TimeText.Utc(rule.Created)}");
        output.WriteLine($"updated:     {TimeText.Utc(rule.Updated)}");
        output.WriteLine($"description: {(rule.Description.Length == 0 ? "-" : rule.Description)}");
        output.WriteLine("expression:");
        foreach (var line in rule.Expression.TrimEnd('\n').Split('\n'))
        {
            output.WriteLine($"  {line}");
        }
    }
}
