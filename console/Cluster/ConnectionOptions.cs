using System.CommandLine;
using System.Globalization;
using Npgsql;

namespace BeTrace.Console.Cluster;

/// <summary>
/// The options that say which cluster and tenant a command talks to. They are recursive: given to a command
/// group (<c>rules</c>, <c>violations</c>, <c>cluster</c>) they apply to every subcommand. Environment variables
/// fill what the command line leaves out, so scripts can set them once.
/// </summary>
public sealed class ConnectionOptions
{
    public const string ClusterVariable = "BETRACE_CLUSTER";
    public const string ConnectionVariable = "BETRACE_CONNECTION";
    public const string ClusterIdVariable = "BETRACE_CLUSTER_ID";
    public const string TenantVariable = "BETRACE_TENANT";

    private readonly Option<string?> _cluster = new("--cluster")
    {
        Description = $"local (the embedded default's gateway on localhost) or postgres. Default: ${ClusterVariable}, else postgres when a connection string is given, else local.",
        HelpName = "local|postgres",
        Recursive = true,
    };

    private readonly Option<string?> _connection = new("--connection")
    {
        Description = $"Npgsql connection string of the cluster's PostgreSQL database (--cluster postgres). Default: ${ConnectionVariable}.",
        HelpName = "CONN",
        Recursive = true,
    };

    private readonly Option<int?> _gatewayPort = new("--gateway-port")
    {
        Description = $"Gateway port of the local silo. Default: {ConnectionSettings.DefaultGatewayPort} + --instance.",
        HelpName = "PORT",
        Recursive = true,
    };

    private readonly Option<int?> _instance = new("--instance")
    {
        Description = "Local silo instance number N, as given to the silo (gateway port 30000 + N).",
        HelpName = "N",
        Recursive = true,
    };

    private readonly Option<string?> _clusterId = new("--cluster-id")
    {
        Description = $"Orleans cluster id. Default: ${ClusterIdVariable}, else '{ConnectionSettings.DefaultClusterId}'.",
        HelpName = "ID",
        Recursive = true,
    };

    private readonly Option<string?> _tenant = new("--tenant")
    {
        Description = $"Tenant whose rules and violations to use. Default: ${TenantVariable}, else '{ConnectionSettings.DefaultTenant}'.",
        HelpName = "TENANT",
        Recursive = true,
    };

    private readonly Option<double> _timeout = new("--timeout")
    {
        Description = "Seconds to wait for the connection to the cluster.",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => 10,
        Recursive = true,
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _cluster, _connection, _gatewayPort, _instance, _clusterId, _tenant, _timeout })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The tenant alone, for commands that need no connection.</summary>
    /// <exception cref="CliInputException">The tenant is empty or contains '/'.</exception>
    public string Tenant(ParseResult result)
    {
        var tenant = result.GetValue(_tenant) ?? Environment.GetEnvironmentVariable(TenantVariable);
        tenant = string.IsNullOrWhiteSpace(tenant) ? ConnectionSettings.DefaultTenant : tenant.Trim();
        return tenant.Contains('/', StringComparison.Ordinal)
            ? throw new CliInputException($"tenant '{tenant}' must not contain '/'")
            : tenant;
    }

    /// <exception cref="CliInputException">The options contradict each other or a value is unusable.</exception>
    public ConnectionSettings Read(ParseResult result)
    {
        var connection = result.GetValue(_connection) ?? Environment.GetEnvironmentVariable(ConnectionVariable);
        if (string.IsNullOrWhiteSpace(connection))
        {
            connection = null;
        }
        var modeText = result.GetValue(_cluster) ?? Environment.GetEnvironmentVariable(ClusterVariable);
        var mode = string.IsNullOrWhiteSpace(modeText)
            ? connection is null ? ClusterMode.Local : ClusterMode.Postgres
            : ParseMode(modeText);
        if (mode == ClusterMode.Postgres)
        {
            if (connection is null)
            {
                throw new CliInputException($"--cluster postgres needs a connection string: --connection \"Host=...;Username=...;Password=...;Database=...\" or ${ConnectionVariable}");
            }
            try
            {
                _ = new NpgsqlConnectionStringBuilder(connection);
            }
            catch (ArgumentException ex)
            {
                throw new CliInputException($"the PostgreSQL connection string is not valid: {ex.Message}", ex);
            }
        }
        var instance = result.GetValue(_instance) ?? 0;
        var port = result.GetValue(_gatewayPort) ?? ConnectionSettings.DefaultGatewayPort + instance;
        if (port is <= 0 or > 65535)
        {
            throw new CliInputException($"gateway port {port} is not a TCP port");
        }
        var clusterId = result.GetValue(_clusterId) ?? Environment.GetEnvironmentVariable(ClusterIdVariable);
        var timeout = result.GetValue(_timeout);
        if (!(timeout > 0))
        {
            throw new CliInputException("--timeout must be a positive number of seconds");
        }
        return new ConnectionSettings(
            mode,
            connection,
            port,
            string.IsNullOrWhiteSpace(clusterId) ? ConnectionSettings.DefaultClusterId : clusterId.Trim(),
            ConnectionSettings.DefaultClusterId,
            Tenant(result),
            TimeSpan.FromSeconds(timeout));
    }

    private static ClusterMode ParseMode(string text) => text.Trim().ToLower(CultureInfo.InvariantCulture) switch
    {
        // The silo calls the embedded default "Sqlite"; accept its spelling too.
        "local" or "localhost" or "sqlite" or "embedded" => ClusterMode.Local,
        "postgres" or "postgresql" => ClusterMode.Postgres,
        _ => throw new CliInputException($"unknown cluster kind '{text}': use local or postgres"),
    };
}
