using System.CommandLine;
using BeTrace.Console.Cluster;

namespace BeTrace.Console.Commands;

/// <summary><c>betrace rules …</c>: manage a tenant's rules in the cluster's registry, and rule packs in YAML.</summary>
public static class RulesCommands
{
    public static Command Build(CliIo io)
    {
        var connection = new ConnectionOptions();
        var rules = new Command("rules", "Manage the rules of a tenant: list, add, update, enable, import and export rule packs.");
        connection.AddTo(rules);
        rules.Subcommands.Add(RulesListCommand.Build(io, connection));
        rules.Subcommands.Add(RulesGetCommand.Build(io, connection));
        rules.Subcommands.Add(RulesAddCommand.Build(io, connection));
        rules.Subcommands.Add(RulesUpdateCommand.Build(io, connection));
        rules.Subcommands.Add(RulesDeleteCommand.Build(io, connection));
        rules.Subcommands.Add(RulesEnableCommand.Build(io, connection, enable: true));
        rules.Subcommands.Add(RulesEnableCommand.Build(io, connection, enable: false));
        rules.Subcommands.Add(RulesValidateCommand.Build(io, connection));
        rules.Subcommands.Add(RulesImportCommand.Build(io, connection));
        rules.Subcommands.Add(RulesExportCommand.Build(io, connection));
        return rules;
    }

    /// <summary>The <c>--json</c> switch of a command.</summary>
    public static Option<bool> JsonOption(string what = "Print JSON for scripts instead of a table.") => new("--json") { Description = what };

    /// <summary>The rule id argument of get, update, delete, enable and disable.</summary>
    public static Argument<string> RuleIdArgument() => new("ID") { Description = "The rule id." };

    /// <summary>The registry of the settings' tenant.</summary>
    public static BeTrace.Grains.Interfaces.Rules.IRuleRegistryGrain Registry(ClusterConnection connection, ConnectionSettings settings) =>
        connection.Client.GetGrain<BeTrace.Grains.Interfaces.Rules.IRuleRegistryGrain>(settings.Tenant);
}
