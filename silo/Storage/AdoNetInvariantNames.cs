namespace BeTrace.Silo.Storage;

/// <summary>The ADO.NET invariant names Orleans 10.4.2 accepts for our two databases.</summary>
public static class AdoNetInvariantNames
{
    /// <summary>
    /// SQLite. Orleans maps this name to <c>Microsoft.Data.Sqlite.SqliteFactory</c>; it rejects
    /// "Microsoft.Data.Sqlite" as an invariant (KeyNotFoundException at silo start).
    /// </summary>
    public const string Sqlite = "System.Data.SQLite";

    /// <summary>PostgreSQL through Npgsql.</summary>
    public const string Postgres = "Npgsql";
}
