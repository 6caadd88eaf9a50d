using Microsoft.Data.Sqlite;

namespace BeTrace.Silo.Storage;

/// <summary>Storage and clustering settings of a silo (and of the gateways, which only need the cluster part).</summary>
public sealed class StorageOptions
{
    /// <summary>The SQLite database file name inside <see cref="DataDirectory"/>.</summary>
    public const string SqliteFileName = "betrace.db";

    /// <summary>SQLite (embedded, the default) or PostgreSQL (cluster).</summary>
    public StorageMode Mode { get; set; } = StorageMode.Sqlite;

    /// <summary>Folder of the SQLite database; created when missing. Relative paths resolve against the working directory.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Npgsql connection string; required in <see cref="StorageMode.Postgres"/> mode.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>Orleans cluster id (<c>ClusterOptions.ClusterId</c>): silos and gateways with the same id form one cluster.</summary>
    public string ClusterId { get; set; } = "betrace";

    /// <summary>Orleans service id (<c>ClusterOptions.ServiceId</c>): grain state is stored per service id, keep it stable.</summary>
    public string ServiceId { get; set; } = "betrace";

    /// <summary>
    /// Whether the silo applies the BeTrace schema and query rows at start-up (idempotent). Turn it off when the
    /// database account may not run DDL and the schema is applied by <c>deploy-local/apply-schema.sh</c> instead.
    /// </summary>
    public bool ApplySchemaOnStartup { get; set; } = true;

    /// <summary>The full path of the SQLite database file.</summary>
    public string SqliteDatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, SqliteFileName));

    /// <summary>The connection string Orleans and the schema installer use for the SQLite database.</summary>
    public string SqliteConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = SqliteDatabasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        // Also the busy timeout: a writer waits this long for the SQLite write lock.
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>The PostgreSQL connection string, or a clear error when it is missing.</summary>
    public string RequirePostgresConnectionString() =>
        string.IsNullOrWhiteSpace(PostgresConnectionString)
            ? throw new InvalidOperationException(
                "PostgreSQL storage needs a connection string (StorageOptions.PostgresConnectionString), e.g. "
                + "\"Host=127.0.0.1;Port=5432;Username=betrace;Password=...;Database=betrace\".")
            : PostgresConnectionString;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            throw new InvalidOperationException("StorageOptions.ClusterId must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(ServiceId))
        {
            throw new InvalidOperationException("StorageOptions.ServiceId must not be empty.");
        }
    }
}
