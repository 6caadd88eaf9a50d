using System.CommandLine;
using BeTrace.Console.Cluster;
using BeTrace.Console.Rules;

namespace BeTrace.Console.Commands;

/// <summary><c>betrace rules enable ID</c> and <c>betrace rules disable ID</c>.</summary>
public static class RulesEnableCommand
{
    public static Command Build(CliIo io, ConnectionOptions connection, bool enable)
    {
        var id = RulesCommands.RuleIdArgument();
        var command = enable
            ? new Command("enable", "Enable a rule: silos evaluate it again.") { id }
            : new Command("disable", "Disable a rule: it stays stored but is not evaluated.") { id };
        command.SetAction((result, cancel) => ClusterCommandRunner.RunAsync(io, () => connection.Read(result), async (cluster, settings, _) =>
        {
            var ruleId = result.GetValue(id)!;
            var change = await RulesCommands.Registry(cluster, settings).SetEnabled(ruleId, enable);
            if (change.Error is { } error)
            {
                return RuleChangeReport.Refused(io, ruleId, error, "", null);
            }
            io.Out.WriteLine($"{(enable ? "enabled" : "disabled")} rule '{ruleId}' (version {change.Rule!.Version})");
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }
}
