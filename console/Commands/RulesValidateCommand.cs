using System.CommandLine;
using BeTrace.Console.Cluster;
using BeTrace.Console.Rules;
using BeTrace.Dsl.Evaluation;
using BeTrace.Grains.Interfaces.Rules;

namespace BeTrace.Console.Commands;

/// <summary>
/// <c>betrace rules validate [FILE…] [--expr TEXT] [--offline]</c>: checks rules without storing them. By default the
/// cluster's registry compiles the expressions, since it decides what it will accept; <c>--offline</c> uses this
/// console's compiler. A YAML pack's example traces are also run (locally): the violating one must fire, the clean
/// one must not.
/// </summary>
public static class RulesValidateCommand
{
    public static Command Build(CliIo io, ConnectionOptions connection)
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "YAML rule packs (.yaml, .yml) or rule files (one expression each); '-' reads an expression from standard input.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var expression = new Option<string?>("--expr") { Description = "An expression to check.", HelpName = "TEXT" };
        var offline = new Option<bool>("--offline") { Description = "Use this console's compiler; do not contact the cluster." };
        var command = new Command("validate", "Check rules (expressions, fields, pack examples) without storing anything.") { files, expression, offline };
        command.SetAction(async (result, cancel) =>
        {
            var inputs = result.GetValue(files) ?? [];
            var text = result.GetValue(expression);
            if (inputs.Length == 0 && text is null)
            {
                io.Error.WriteLine("betrace: give FILE(s) or --expr TEXT to validate");
                return ExitCodes.BadInput;
            }
            if (result.GetValue(offline))
            {
                return await DslCommands.GuardAsync(io, () => ValidateAsync(io, inputs, text, LocalRuleCheck.Validate));
            }
            return await ClusterCommandRunner.RunAsync(io, () => connection.Read(result),
                (cluster, settings, _) => ValidateAsync(io, inputs, text, RulesCommands.Registry(cluster, settings).Validate), cancel);
        });
        return command;
    }

    private static async Task<int> ValidateAsync(CliIo io, string[] files, string? expression, Func<string, Task<RuleError?>> validate)
    {
        var failed = 0;
        if (expression is not null)
        {
            failed += await ExpressionAsync(io, "<expr>", expression, validate) ? 0 : 1;
        }
        foreach (var file in files)
        {
            var name = file == "-" ? "<stdin>" : file;
            var content = io.ReadText(file);
            failed += IsPack(file)
                ? await PackAsync(io, name, RulePackReader.Read(content, name), validate)
                : await ExpressionAsync(io, name, content, validate) ? 0 : 1;
        }
        return failed == 0 ? ExitCodes.Ok : ExitCodes.InvalidRule;
    }

    private static bool IsPack(string file) =>
        file.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    private static async Task<bool> ExpressionAsync(CliIo io, string name, string expression, Func<string, Task<RuleError?>> validate)
    {
        if (await validate(expression) is { } error)
        {
            io.Out.WriteLine($"{name}:{RuleErrorText.Format(error, expression)}");
            return false;
        }
        io.Out.WriteLine($"{name}: ok");
        return true;
    }

    /// <summary>Reports every rule of the pack; returns how many failed.</summary>
    private static async Task<int> PackAsync(CliIo io, string name, RulePack pack, Func<string, Task<RuleError?>> validate)
    {
        var failed = 0;
        var duplicates = PackRuleCheck.DuplicateIds(pack);
        foreach (var rule in pack.Rules)
        {
            var where = $"{name}:{rule.Line}: rule '{rule.Label}'";
            if (await PackRuleCheck.CheckAsync(rule, duplicates, validate) is { } issue)
            {
                io.Out.WriteLine($"{where}: {PackRuleCheck.Describe(issue, rule)}");
                failed++;
                continue;
            }
            if (!RuleCompiler.TryCompile(rule.Expression, out var compiled, out var local))
            {
                // The cluster accepts what this console's engine does not: the examples cannot be run here.
                io.Out.WriteLine($"{where}: ok (examples not run: this console's compiler says {local})");
                continue;
            }
            var examples = ExampleCheck.Check(rule, compiled!);
            if (examples.Problem is not null)
            {
                io.Out.WriteLine($"{where}: {examples.Problem}");
                failed++;
                continue;
            }
            io.Out.WriteLine($"{where}: ok ({examples.Summary})");
        }
        io.Error.WriteLine($"{name}: {pack.Rules.Count - failed} of {pack.Rules.Count} rules ok");
        return failed;
    }
}
