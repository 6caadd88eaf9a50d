namespace BeTrace.Silo.Storage;

/// <summary>The SQL scripts of deploy-local/sql, embedded in the silo assembly.</summary>
public static class SchemaScripts
{
    /// <summary>SQLite grain storage: table, index and persistence query rows.</summary>
    public const string SqlitePersistence = "sqlite-persistence.sql";

    /// <summary>PostgreSQL membership tables and the clustering query rows.</summary>
    public const string PostgresClustering = "postgresql-clustering.sql";

    /// <summary>PostgreSQL grain storage: table, index and persistence query rows.</summary>
    public const string PostgresPersistence = "postgresql-persistence.sql";

    private const string ResourcePrefix = "BeTrace.Silo.Sql.";

    /// <summary>The text of one script, by file name (one of the constants above).</summary>
    public static string Read(string fileName)
    {
        var assembly = typeof(SchemaScripts).Assembly;
        using var stream = assembly.GetManifestResourceStream(ResourcePrefix + fileName)
            ?? throw new InvalidOperationException(
                $"The SQL script '{fileName}' is not embedded in {assembly.GetName().Name} "
                + $"(expected resource '{ResourcePrefix}{fileName}', from deploy-local/sql).");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
