using System.CommandLine;
using BeTrace.Console.Commands;

namespace BeTrace.Console;

/// <summary>The <c>betrace</c> command tree. <see cref="RunAsync"/> is the whole program, callable in-process by tests.</summary>
public static class BetraceCli
{
    // Ctrl+C cancels the running command; this is how long it may take to wind down (close its cluster connection).
    private static readonly TimeSpan TerminationTimeout = TimeSpan.FromSeconds(5);

    public static Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var io = new CliIo(stdin, stdout, stderr);
        var root = new RootCommand("betrace: behavioural rules (BeTraceDSL) checked against OpenTelemetry traces.");
        root.Subcommands.Add(DslCommands.Build(io));
        root.Subcommands.Add(RulesCommands.Build(io));
        root.Subcommands.Add(ViolationsCommands.Build(io));
        root.Subcommands.Add(ClusterCommands.Build(io));
        root.Subcommands.Add(ReplayCommand.Build(io));
        var parsed = root.Parse(args);
        return parsed.InvokeAsync(new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            ProcessTerminationTimeout = TerminationTimeout,
        });
    }

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, stdin, stdout, stderr).GetAwaiter().GetResult();
}
