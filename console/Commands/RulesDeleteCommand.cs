using System.CommandLine;
using BeTrace.Console.Cluster;
using BeTrace.Console.Rules;

namespace BeTrace.Console.Commands;

/// <summary><c>betrace rules delete ID</c>.</summary>
public static class RulesDeleteCommand
{
    public static Command Build(CliIo io, ConnectionOptions connection)
    {
        var id = RulesCommands.RuleIdArgument();
        var command = new Command("delete", "Delete a rule; silos stop evaluating it at once.") { id };
        command.SetAction((result, cancel) => ClusterCommandRunner.RunAsync(io, () => connection.Read(result), async (cluster, settings, _) =>
        {
            var ruleId = result.GetValue(id)!;
            var change = await RulesCommands.Registry(cluster, settings).Delete(ruleId);
            if (change.Error is { } error)
            {
                return RuleChangeReport.Refused(io, ruleId, error, "", null);
            }
            io.Out.WriteLine($"deleted rule '{ruleId}'");
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }
}
