using System.CommandLine;
using BeTrace.Console.Cluster;
using BeTrace.Console.Output;
using BeTrace.Console.Rules;
using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Console.Commands;

/// <summary>
/// <c>betrace rules update ID [--version N] …</c>: changes the given fields and keeps the others. The registry
/// refuses a stale version, so <c>--version</c> should be the one the user read; without it the console reads the
/// current version just now and says so, which protects nothing against a concurrent edit.
/// </summary>
public static class RulesUpdateCommand
{
    public static Command Build(CliIo io, ConnectionOptions connection)
    {
        var id = RulesCommands.RuleIdArgument();
        var version = new Option<long?>("--version")
        {
            Description = "The version you read (rules get). A rule changed since is refused. Default: the current version, read first.",
            HelpName = "N",
        };
        var fields = new RuleFieldOptions();
        var json = RulesCommands.JsonOption("Print the stored rule as a JSON object.");
        var command = new Command("update", "Change a rule's fields; what is not given stays as it is.") { id, version, json };
        fields.AddTo(command);
        command.SetAction((result, cancel) => ClusterCommandRunner.RunAsync(io, () => connection.Read(result), async (cluster, settings, _) =>
        {
            var ruleId = result.GetValue(id)!;
            var expression = fields.ReadExpression(io, result);
            var name = result.GetValue(fields.Name);
            var severity = fields.ReadSeverity(result);
            var description = result.GetValue(fields.Description);
            var tags = fields.ReadTags(result);
            var framework = result.GetValue(fields.Framework);
            var control = result.GetValue(fields.Control);
            if (expression is null && name is null && severity is null && description is null && tags is null && framework is null && control is null)
            {
                throw new CliInputException("nothing to change: give --expr/--file, --name, --severity, --description, --tag, --framework or --control");
            }
            var registry = RulesCommands.Registry(cluster, settings);
            var current = await registry.Get(ruleId);
            if (current is null)
            {
                io.Error.WriteLine($"betrace: tenant '{settings.Tenant}' has no rule '{ruleId}'");
                return ExitCodes.NotFound;
            }
            var expected = result.GetValue(version);
            if (expected is null)
            {
                expected = current.Version;
                io.Error.WriteLine($"betrace: updating rule '{ruleId}' from version {current.Version}, read just now (pass --version N to refuse concurrent edits)");
            }
            var draft = new RuleDraft(ruleId, name ?? current.Name, expression?.Text ?? current.Expression,
                severity ?? current.Severity, description ?? current.Description, current.Enabled, tags ?? current.Tags,
                framework ?? current.ComplianceFramework, control ?? current.ComplianceControl);
            var change = await registry.Update(draft, expected.Value);
            if (change.Error is { } error)
            {
                return RuleChangeReport.Refused(io, ruleId, error, draft.Expression, expression?.Source);
            }
            var rule = change.Rule!;
            io.Out.WriteLine(result.GetValue(json)
                ? JsonOutput.Document(RuleView.From(rule))
                : $"updated rule '{rule.Id}' to version {rule.Version}");
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }
}
