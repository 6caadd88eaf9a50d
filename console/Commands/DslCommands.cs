using System.CommandLine;

namespace BeTrace.Console.Commands;

/// <summary><c>betrace dsl …</c>: offline rule tools that need no cluster.</summary>
public static class DslCommands
{
    public static Command Build(CliIo io)
    {
        var dsl = new Command("dsl", "Offline BeTraceDSL tools: check rules, evaluate them against trace files, run conformance corpora.");
        dsl.Subcommands.Add(DslCheckCommand.Build(io));
        dsl.Subcommands.Add(DslEvalCommand.Build(io));
        dsl.Subcommands.Add(DslConformanceCommand.Build(io));
        return dsl;
    }

    /// <summary>Runs a command body, turning unusable input into one clear line and exit code 2.</summary>
    public static int Guard(CliIo io, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (CliInputException ex)
        {
            io.Error.WriteLine($"betrace: {ex.Message}");
            return ExitCodes.BadInput;
        }
    }

    /// <summary>The asynchronous form of <see cref="Guard"/>.</summary>
    public static async Task<int> GuardAsync(CliIo io, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (CliInputException ex)
        {
            io.Error.WriteLine($"betrace: {ex.Message}");
            return ExitCodes.BadInput;
        }
    }
}
