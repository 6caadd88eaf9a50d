namespace BeTrace.Console.Cluster;

/// <summary>
/// Runs the body of a command that needs the cluster: connects, runs, disconnects, and turns the ways a cluster
/// can fail into one line on stderr and an exit code, so no command shows a stack trace for a down cluster.
/// </summary>
public static class ClusterCommandRunner
{
    public static async Task<int> RunAsync(CliIo io, Func<ConnectionSettings> settings,
        Func<ClusterConnection, ConnectionSettings, CancellationToken, Task<int>> body, CancellationToken cancellation)
    {
        // Return to the invocation pipeline first: it listens for Ctrl+C only once the action has returned a task.
        await Task.Yield();
        try
        {
            var resolved = settings();
            await using var connection = await ClusterConnection.ConnectAsync(resolved, cancellation);
            return await body(connection, resolved, cancellation);
        }
        catch (CliInputException ex)
        {
            io.Error.WriteLine($"betrace: {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (ClusterUnreachableException ex)
        {
            io.Error.WriteLine($"betrace: {ex.Message}");
            return ExitCodes.Unreachable;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            io.Error.WriteLine("betrace: interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            io.Error.WriteLine($"betrace: the cluster stopped answering: {ex.Message}");
            return ExitCodes.Unreachable;
        }
    }
}
