using System.CommandLine;
using BeTrace.Console.Cluster;
using BeTrace.Console.Output;
using BeTrace.Console.Rules;
using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Console.Commands;

/// <summary><c>betrace rules add --id ID --name NAME (--expr TEXT | --file FILE) …</c>: creates a rule.</summary>
public static class RulesAddCommand
{
    public static Command Build(CliIo io, ConnectionOptions connection)
    {
        var id = new Option<string>("--id") { Description = "Rule id: 1-128 characters of A-Z a-z 0-9 . _ -", HelpName = "ID", Required = true };
        var fields = new RuleFieldOptions();
        var disabled = new Option<bool>("--disabled") { Description = "Store the rule disabled (it is not evaluated until enabled)." };
        var json = RulesCommands.JsonOption("Print the stored rule as a JSON object.");
        var command = new Command("add", "Create a rule; the registry validates it first and shows the compiler's error with a caret.") { id, disabled, json };
        fields.AddTo(command);
        command.SetAction((result, cancel) => ClusterCommandRunner.RunAsync(io, () => connection.Read(result), async (cluster, settings, _) =>
        {
            var ruleId = result.GetValue(id)!;
            var name = result.GetValue(fields.Name) ?? throw new CliInputException("rules add needs --name");
            var (expression, source) = fields.ReadExpression(io, result)
                ?? throw new CliInputException("rules add needs the expression: --expr TEXT or --file FILE");
            var draft = new RuleDraft(ruleId, name, expression, fields.ReadSeverity(result) ?? Severity.Medium,
                result.GetValue(fields.Description) ?? "", !result.GetValue(disabled), fields.ReadTags(result) ?? [],
                result.GetValue(fields.Framework), result.GetValue(fields.Control));
            var change = await RulesCommands.Registry(cluster, settings).Create(draft);
            if (change.Error is { } error)
            {
                return RuleChangeReport.Refused(io, ruleId, error, expression, source);
            }
            var rule = change.Rule!;
            io.Out.WriteLine(result.GetValue(json)
                ? JsonOutput.Document(RuleView.From(rule))
                : $"created rule '{rule.Id}' (version {rule.Version}) for tenant '{settings.Tenant}'");
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }
}
