using System.Globalization;
using BeTrace.Testing;

namespace BeTrace.Console.Tests;

/// <summary>No cluster: commands fail within seconds with a message that says where they looked and what to do.</summary>
public sealed class ConnectionFailureTests
{
    // Far below Orleans' default of about three minutes of retries; generous for a loaded machine.
    private static readonly TimeSpan FailFast = TimeSpan.FromSeconds(20);

    [Fact]
    public void An_unreachable_local_gateway_fails_fast_with_a_clear_message()
    {
        var port = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        var result = BetraceProcess.Run(null, "rules", "list", "--gateway-port", port);
        Assert.Equal(4, result.ExitCode);
        Assert.True(result.Elapsed < FailFast, result.ToString());
        Assert.StartsWith($"betrace: cannot reach the local gateway 127.0.0.1:{port} (cluster id 'betrace'): ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("is a silo running? Start one with `dotnet run --project silo`", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void An_unreachable_postgres_cluster_from_the_environment_fails_fast()
    {
        var port = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        var result = BetraceProcess.RunWith(new Dictionary<string, string>
        {
            ["BETRACE_CLUSTER"] = "postgres",
            ["BETRACE_CONNECTION"] = $"Host=127.0.0.1;Port={port};Username=betrace;Password=secret;Database=betrace",
        }, null, "cluster", "status");
        Assert.Equal(4, result.ExitCode);
        Assert.True(result.Elapsed < FailFast, result.ToString());
        Assert.StartsWith($"betrace: cannot reach the PostgreSQL cluster 'betrace' (membership in database 'betrace' on 127.0.0.1:{port})", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_without_a_connection_string_is_a_usage_error()
    {
        var result = BetraceProcess.Run(null, "violations", "list", "--cluster", "postgres");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--cluster postgres needs a connection string", result.Stderr, StringComparison.Ordinal);
    }
}
