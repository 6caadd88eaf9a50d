using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace BeTrace.Testing;

/// <summary>
/// A real, throw-away PostgreSQL server for one test run: initdb into a temporary folder, a free port on 127.0.0.1,
/// the unix socket inside that folder, stopped (pg_ctl stop -m fast) and deleted on dispose. When the tests run as
/// root the server runs as the <c>postgres</c> OS user (PostgreSQL refuses root). Missing binaries fail the tests
/// with the command that installs them; nothing is skipped silently.
/// Use it through <see cref="PostgresCollection"/>; <see cref="CreateDatabaseAsync"/> gives each test its own database.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string SuperUser = "postgres";
    private const string OsUser = "postgres";
    private const string FolderPrefix = "betrace-pg-";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private string? _root;
    private string? _binDirectory;
    private bool _started;
    private int _databaseCounter;

    /// <summary>The TCP port the server listens on (127.0.0.1).</summary>
    public int Port { get; private set; }

    /// <summary>The database created at start-up, for tests that do not need one of their own.</summary>
    public string DatabaseName { get; } = "betrace_tests";

    /// <summary>Connection string of <see cref="DatabaseName"/>.</summary>
    public string ConnectionString => ConnectionStringFor(DatabaseName);

    /// <summary>The major version of the server binaries, e.g. "15".</summary>
    public string Version { get; private set; } = "";

    private string DataDirectory => Path.Combine(_root!, "data");

    private string SocketDirectory => Path.Combine(_root!, "socket");

    private string LogFile => Path.Combine(_root!, "server.log");

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>A connection string for a database of this server (trust authentication, superuser).</summary>
    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = database,
        Timeout = 30,
        CommandTimeout = 60,
        // Several silos, clients and installers share the server; keep each pool modest.
        MaxPoolSize = 20,
    }.ConnectionString;

    /// <summary>Creates a fresh, empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        if (prefix.Length is 0 or > 30 || !prefix.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
        {
            throw new ArgumentException("Use 1-30 characters of [a-z0-9_] as the database prefix.", nameof(prefix));
        }

        var name = $"{prefix}_{Interlocked.Increment(ref _databaseCounter)}_{Guid.NewGuid().ToString("N")[..8]}";
        await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres"));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE {name}";
        await command.ExecuteNonQueryAsync();
        return ConnectionStringFor(name);
    }

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        _binDirectory = FindBinDirectory();
        Version = new DirectoryInfo(Path.GetDirectoryName(_binDirectory)!).Name;
        if (IsRoot && !OsUserExists(OsUser))
        {
            throw new InvalidOperationException(
                "The tests run as root, and PostgreSQL refuses to run as root, but there is no 'postgres' OS user to run it as. "
                + "Install the server package (apt-get install -y postgresql), which creates that user.");
        }

        // As root the folder must be reachable by the postgres user, so not under a private TMPDIR.
        var tempRoot = IsRoot ? "/tmp" : Path.GetTempPath();
        await CleanUpAbandonedServersAsync(tempRoot);
        _root = Path.Combine(tempRoot, $"{FolderPrefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(_root);
        Directory.CreateDirectory(SocketDirectory);
        if (IsRoot)
        {
            await RunAsync("chown", ["-R", $"{OsUser}:{OsUser}", _root], asServerUser: false);
        }

        await RunAsync(Tool("initdb"),
            ["-D", DataDirectory, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"],
            asServerUser: true);

        // Up to three ports: another process may take the free port between probing and binding it.
        Exception? lastError = null;
        for (var attempt = 0; attempt < 3 && !_started; attempt++)
        {
            Port = FreeTcpPort();
            await WriteConfigurationAsync();
            try
            {
                await RunAsync(Tool("pg_ctl"),
                    ["-D", DataDirectory, "-l", LogFile, "-w", "-t", ((int)StartTimeout.TotalSeconds).ToString(), "start"],
                    asServerUser: true);
                _started = true;
            }
            catch (InvalidOperationException e)
            {
                lastError = e;
                await TryStopAsync();
            }
        }

        if (!_started)
        {
            throw new InvalidOperationException($"PostgreSQL did not start. Server log:\n{ReadLog()}", lastError);
        }

        await WaitForConnectionsAsync();
        await using (var connection = new NpgsqlConnection(ConnectionStringFor("postgres")))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE {DatabaseName}";
            await command.ExecuteNonQueryAsync();
        }
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_started)
        {
            await TryStopAsync();
        }

        if (_root is not null && Directory.Exists(_root))
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A straggling server process may still hold a file; the next run cleans up abandoned folders.
            }
        }
    }

    /// <summary>
    /// Stops and deletes the servers of earlier test runs that died without disposing their fixture (the folder name
    /// carries the test process id; a live process is left alone, it may be a concurrent run).
    /// </summary>
    private async Task CleanUpAbandonedServersAsync(string tempRoot)
    {
        foreach (var folder in Directory.GetDirectories(tempRoot, FolderPrefix + "*"))
        {
            var parts = Path.GetFileName(folder)[FolderPrefix.Length..].Split('-');
            if (parts.Length != 2 || !int.TryParse(parts[0], out var pid) || ProcessIsAlive(pid))
            {
                continue;
            }

            var data = Path.Combine(folder, "data");
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
            {
                try
                {
                    await RunAsync(Tool("pg_ctl"), ["-D", data, "-m", "immediate", "-w", "-t", "30", "stop"], asServerUser: true);
                }
                catch (InvalidOperationException)
                {
                    // Not running any more.
                }
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private static bool ProcessIsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string FindBinDirectory()
    {
        var candidates = new List<string>();
        var overridden = Environment.GetEnvironmentVariable("BETRACE_PG_BIN");
        if (!string.IsNullOrEmpty(overridden))
        {
            candidates.Add(overridden);
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        foreach (var bin in candidates)
        {
            if (File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl"))
                && File.Exists(Path.Combine(bin, "postgres")))
            {
                return bin;
            }
        }

        throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found under /usr/lib/postgresql/*/bin"
            + (string.IsNullOrEmpty(overridden) ? "" : $" or in BETRACE_PG_BIN={overridden}")
            + ". The PostgreSQL tests start a real server: install it with `apt-get install -y postgresql` "
            + "(PostgreSQL 15 or later).");
    }

    private string Tool(string name) => Path.Combine(_binDirectory!, name);

    private async Task WriteConfigurationAsync()
    {
        var settings = new StringBuilder()
            .AppendLine()
            .AppendLine("# BeTrace test server")
            .AppendLine("listen_addresses = '127.0.0.1'")
            .AppendLine($"port = {Port}")
            .AppendLine($"unix_socket_directories = '{SocketDirectory}'")
            .AppendLine("max_connections = 200")
            .AppendLine("shared_buffers = 32MB")
            .AppendLine("fsync = off")
            .AppendLine("synchronous_commit = off")
            .AppendLine("full_page_writes = off")
            .AppendLine("logging_collector = off")
            .ToString();
        // The last setting wins in postgresql.conf, so appending again on a retry just overrides the port.
        var file = Path.Combine(DataDirectory, "postgresql.conf");
        await File.AppendAllTextAsync(file, settings);
    }

    private async Task WaitForConnectionsAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres") + ";Pooling=false");
                await connection.OpenAsync();
                return;
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
            {
                if (deadline.Elapsed > StartTimeout)
                {
                    throw new InvalidOperationException(
                        $"PostgreSQL on 127.0.0.1:{Port} does not accept connections. Server log:\n{ReadLog()}", e);
                }

                await Task.Delay(200);
            }
        }
    }

    private async Task TryStopAsync()
    {
        try
        {
            await RunAsync(Tool("pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"], asServerUser: true);
        }
        catch (InvalidOperationException)
        {
            // Not running (a failed start) or already gone.
        }
    }

    private string ReadLog()
    {
        try
        {
            return File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no server log)";
        }
        catch (IOException e)
        {
            return $"(server log unreadable: {e.Message})";
        }
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static bool OsUserExists(string user) =>
        File.Exists("/etc/passwd") && File.ReadLines("/etc/passwd").Any(line => line.StartsWith(user + ":", StringComparison.Ordinal));

    /// <summary>Runs a tool to completion (as the postgres OS user when we are root) and fails with its output.</summary>
    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, bool asServerUser)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        if (asServerUser && IsRoot)
        {
            info.FileName = File.Exists("/usr/sbin/runuser") || File.Exists("/sbin/runuser") ? "runuser" : "su";
            if (info.FileName == "runuser")
            {
                info.ArgumentList.Add("-u");
                info.ArgumentList.Add(OsUser);
                info.ArgumentList.Add("--");
                info.ArgumentList.Add(fileName);
                foreach (var argument in arguments)
                {
                    info.ArgumentList.Add(argument);
                }
            }
            else
            {
                info.ArgumentList.Add(OsUser);
                info.ArgumentList.Add("-s");
                info.ArgumentList.Add("/bin/sh");
                info.ArgumentList.Add("-c");
                info.ArgumentList.Add(string.Join(' ', new[] { fileName }.Concat(arguments).Select(ShellQuote)));
            }
        }
        else
        {
            info.FileName = fileName;
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }
        }

        info.Environment["LC_ALL"] = "C";
        using var process = Process.Start(info)
            ?? throw new InvalidOperationException($"Could not start {fileName}.");
        // pg_ctl start -l sends the server's output to the log file: the server does not keep our pipes open, so
        // reading both streams to the end returns when the tool exits.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(fileName)} did not finish within 3 minutes.");
        }

        var output = await stdout + await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}:\n{output}");
        }
    }

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
