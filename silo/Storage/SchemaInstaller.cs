using Microsoft.Data.Sqlite;
using Npgsql;

namespace BeTrace.Silo.Storage;

/// <summary>
/// Applies the BeTrace schema and the Orleans query rows (deploy-local/sql, embedded). Every script is idempotent,
/// so this runs at every start-up; the PostgreSQL scripts serialize concurrent runs with an advisory lock.
/// </summary>
public static class SchemaInstaller
{
    /// <summary>Applies what <paramref name="options"/> needs: the SQLite file, or PostgreSQL clustering and persistence.</summary>
    public static Task InstallAsync(StorageOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Mode switch
        {
            StorageMode.Sqlite => InstallSqliteAsync(options.SqliteDatabasePath, cancellationToken),
            StorageMode.Postgres => InstallPostgresAsync(
                options.RequirePostgresConnectionString(), clustering: true, persistence: true, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Mode, "Unknown storage mode."),
        };
    }

    /// <summary>
    /// Creates the folder and the database file if needed, switches the database to WAL and applies the SQLite
    /// persistence script in one transaction.
    /// </summary>
    public static async Task InstallSqliteAsync(string databasePath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var fullPath = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var script = SchemaScripts.Read(SchemaScripts.SqlitePersistence);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

        // WAL is a property of the file: set once, every later connection (Orleans' included) uses it.
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            var mode = Convert.ToString(await wal.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false));
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"Could not switch the SQLite database '{fullPath}' to WAL mode (journal mode is '{mode}').");
            }
        }

        await using var transaction = (SqliteTransaction)await connection
            .BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = script;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies the PostgreSQL scripts (each is one transaction that takes the BeTrace schema advisory lock, so
    /// several silos may start at once).
    /// </summary>
    public static async Task InstallPostgresAsync(
        string connectionString, bool clustering, bool persistence, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        // A dedicated, unpooled connection: if a script fails half-way, its transaction dies with the connection.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Enlist = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (clustering)
        {
            await RunPostgresScriptAsync(connection, SchemaScripts.PostgresClustering, cancellationToken).ConfigureAwait(false);
        }

        if (persistence)
        {
            await RunPostgresScriptAsync(connection, SchemaScripts.PostgresPersistence, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task RunPostgresScriptAsync(
        NpgsqlConnection connection, string fileName, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = SchemaScripts.Read(fileName);
        command.CommandTimeout = 120;
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e)
        {
            throw new InvalidOperationException(
                $"Applying {fileName} to PostgreSQL database '{connection.Database}' on {connection.Host}:{connection.Port} "
                + $"failed: {e.SqlState} {e.MessageText}", e);
        }
    }
}
