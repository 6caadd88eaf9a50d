using System.CommandLine;
using BeTrace.Console.Commands;

namespace BeTrace.Console;

/// <summary>The <c>betrace</c> command tree. <see cref="Run"/> is the whole program, callable in-process by tests.</summary>
public static class BetraceCli
{
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var io = new CliIo(stdin, stdout, stderr);
        var root = new RootCommand("betrace: behavioural rules (BeTraceDSL) checked against OpenTelemetry traces.");
        root.Subcommands.Add(DslCommands.Build(io));
        var parsed = root.Parse(args);
        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
