using System.CommandLine;
using BeTrace.Dsl.Evaluation;

namespace BeTrace.Console.Commands;

/// <summary><c>betrace dsl check FILE|-</c>: validates rules and shows each error under its rule line.</summary>
public static class DslCheckCommand
{
    public static Command Build(CliIo io)
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "Rule files, one rule each; '-' reads a rule from standard input.",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("check", "Check that rules parse and validate; print each error with a caret under the spot.") { files };
        command.SetAction(result => DslCommands.Guard(io, () => Check(io, result.GetValue(files)!)));
        return command;
    }

    private static int Check(CliIo io, string[] files)
    {
        var failed = 0;
        foreach (var file in files)
        {
            var text = io.ReadText(file);
            var name = file == "-" ? "<stdin>" : file;
            if (RuleCompiler.TryCompile(text, out _, out var error))
            {
                io.Out.WriteLine($"{name}: ok");
                continue;
            }
            failed++;
            io.Out.WriteLine($"{name}:{error!.FormatWithCaret(text)}");
        }
        return failed == 0 ? ExitCodes.Ok : ExitCodes.InvalidRule;
    }
}
