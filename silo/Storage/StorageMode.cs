namespace BeTrace.Silo.Storage;

/// <summary>Where the silo keeps grain state and, for a cluster, its membership.</summary>
public enum StorageMode
{
    /// <summary>Embedded single silo: grain state in a SQLite file, localhost clustering (no server needed).</summary>
    Sqlite,

    /// <summary>Cluster: grain state and membership in PostgreSQL.</summary>
    Postgres,
}
