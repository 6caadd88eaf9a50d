using System.CommandLine;
using BeTrace.Console.Cluster;

namespace BeTrace.Console.Commands;

/// <summary><c>betrace cluster …</c>: operations views of the running cluster.</summary>
public static class ClusterCommands
{
    public static Command Build(CliIo io)
    {
        var connection = new ConnectionOptions();
        var cluster = new Command("cluster", "Operations: the silos of the cluster and what they hold.");
        connection.AddTo(cluster);
        cluster.Subcommands.Add(ClusterStatusCommand.Build(io, connection));
        return cluster;
    }
}
