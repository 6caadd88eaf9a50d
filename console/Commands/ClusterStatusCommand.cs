using System.CommandLine;
using System.Globalization;
using BeTrace.Console.Cluster;
using BeTrace.Console.Output;

namespace BeTrace.Console.Commands;

/// <summary>
/// <c>betrace cluster status</c>: each silo with its membership state, activation count and the rule version it
/// holds for the tenant (flagged when behind the registry), then activations per grain type.
/// </summary>
public static class ClusterStatusCommand
{
    public static Command Build(CliIo io, ConnectionOptions connection)
    {
        var json = RulesCommands.JsonOption("Print the status as a JSON object.");
        var command = new Command("status", "Show the silos, their state, activations per grain type and the rule version each silo holds.") { json };
        command.SetAction((result, cancel) => ClusterCommandRunner.RunAsync(io, () => connection.Read(result), async (cluster, settings, _) =>
        {
            var status = await ClusterStatus.ReadAsync(cluster.Client, settings);
            if (result.GetValue(json))
            {
                io.Out.WriteLine(JsonOutput.Document(status));
            }
            else
            {
                WriteText(io.Out, status);
            }
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }

    private static void WriteText(TextWriter output, ClusterStatus status)
    {
        var active = status.Silos.Count(s => s.Status == "Active");
        output.WriteLine($"cluster '{status.ClusterId}': {active} active of {status.Silos.Count} silos; tenant '{status.Tenant}' registry at version {N(status.RegistryVersion)}");
        output.WriteLine();
        var silos = new TextTable("SILO", "STATUS", "ACTIVATIONS", "RULE VERSION", "ALL TENANTS", "NOTE");
        foreach (var silo in status.Silos)
        {
            var note = silo.Error
                ?? (silo.Status == "Active" && (silo.RuleVersion ?? 0) < status.RegistryVersion ? "behind the registry (catches up within a poll interval)" : null);
            silos.Add(silo.Silo, silo.Status, N(silo.Activations), silo.RuleVersion is { } v ? N(v) : null,
                string.Join(", ", silo.RuleVersions.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={N(p.Value)}")), note);
        }
        silos.WriteTo(output);
        output.WriteLine();
        var types = new TextTable("GRAIN TYPE", "ACTIVATIONS", "PER SILO");
        foreach (var type in status.GrainTypes)
        {
            types.Add(ShortType(type.GrainType), N(type.Activations),
                string.Join(" ", type.PerSilo.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={N(p.Value)}")));
        }
        types.WriteTo(output);
    }

    /// <summary>"Namespace.Type,Assembly" without the assembly, which only adds width (--json keeps it).</summary>
    private static string ShortType(string grainType) => grainType.Split(',')[0];

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
