using System.CommandLine;
using BeTrace.Console.Cluster;
using BeTrace.Console.Rules;

namespace BeTrace.Console.Commands;

/// <summary><c>betrace rules export [--output FILE] [--pack NAME]</c>: the tenant's rules as a YAML pack that import reads back.</summary>
public static class RulesExportCommand
{
    public static Command Build(CliIo io, ConnectionOptions connection)
    {
        var output = new Option<string?>("--output", "-o") { Description = "Write the pack to this file instead of standard output.", HelpName = "FILE" };
        var name = new Option<string?>("--pack") { Description = "The pack name written into the file. Default: the tenant.", HelpName = "NAME" };
        var command = new Command("export", "Export the tenant's rules as a YAML rule pack.") { output, name };
        command.SetAction((result, cancel) => ClusterCommandRunner.RunAsync(io, () => connection.Read(result), async (cluster, settings, _) =>
        {
            var rules = await RulesCommands.Registry(cluster, settings).List();
            var pack = new RulePack(result.GetValue(name) ?? settings.Tenant,
                $"rules of tenant '{settings.Tenant}', exported by betrace", rules.Select(PackRule.From).ToList());
            if (result.GetValue(output) is { } path)
            {
                try
                {
                    using var writer = new StreamWriter(path);
                    RulePackWriter.Write(pack, writer);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new CliInputException($"cannot write {path}: {ex.Message}", ex);
                }
                io.Error.WriteLine($"exported {rules.Length} rules of tenant '{settings.Tenant}' to {path}");
            }
            else
            {
                RulePackWriter.Write(pack, io.Out);
            }
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }
}
