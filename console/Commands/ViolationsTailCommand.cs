using System.CommandLine;
using BeTrace.Console.Cluster;
using BeTrace.Console.Output;
using BeTrace.Console.Violations;
using BeTrace.Grains.Interfaces.Violations;

namespace BeTrace.Console.Commands;

/// <summary>
/// <c>betrace violations tail</c>: shows the last few violations, then polls the tenant's log and prints new ones
/// as they come, until Ctrl+C (exit code 0).
/// </summary>
public static class ViolationsTailCommand
{
    public static Command Build(CliIo io)
    {
        var connection = new ConnectionOptions();
        var filters = new ViolationFilterOptions();
        var backlog = new Option<int>("--limit", "-n") { Description = "Show this many recent violations first (0: only new ones).", DefaultValueFactory = _ => 10, HelpName = "N" };
        var interval = new Option<double>("--interval") { Description = "Seconds between polls of the violation log.", DefaultValueFactory = _ => 1, HelpName = "SECONDS" };
        var json = RulesCommands.JsonOption("Print one JSON object per violation and line.");
        var command = new Command("tail", "Follow new violations as they are detected; Ctrl+C stops.") { backlog, interval, json };
        connection.AddTo(command);
        filters.AddTo(command);
        command.SetAction((result, cancel) => ClusterCommandRunner.RunAsync(io, () => connection.Read(result), async (cluster, settings, token) =>
        {
            var pause = result.GetValue(interval);
            if (!(pause > 0) || result.GetValue(backlog) < 0)
            {
                throw new CliInputException("--interval must be positive and --limit at least 0");
            }
            var follower = new ViolationFollower(cluster.Client.GetGrain<IViolationLogGrain>(settings.Tenant),
                result.GetValue(filters.Rule), filters.MinimumSeverity(result));
            var asJson = result.GetValue(json);
            Print(io, await follower.StartAsync(result.GetValue(backlog)), asJson);
            io.Error.WriteLine($"following violations of tenant '{settings.Tenant}' (Ctrl+C to stop)");
            try
            {
                while (true)
                {
                    await Task.Delay(TimeSpan.FromSeconds(pause), token);
                    Print(io, await follower.PollAsync(), asJson);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return ExitCodes.Ok;
            }
        }, cancel));
        return command;
    }

    private static void Print(CliIo io, IReadOnlyList<ViolationRecord> violations, bool json)
    {
        foreach (var violation in violations)
        {
            io.Out.WriteLine(json ? JsonOutput.Line(ViolationView.From(violation)) : ViolationLine.Text(violation));
        }
        io.Out.Flush();
    }
}
