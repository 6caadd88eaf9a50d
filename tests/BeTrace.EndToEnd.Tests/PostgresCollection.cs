using BeTrace.Testing;

namespace BeTrace.EndToEnd.Tests;

/// <summary>Test classes in this collection share one PostgreSQL server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgresql";
}
