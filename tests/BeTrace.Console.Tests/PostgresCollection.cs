using BeTrace.Testing;

namespace BeTrace.Console.Tests;

/// <summary>Test classes in this collection share one <see cref="PostgresServer"/> (xunit needs the definition in the test assembly).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgresql";
}
