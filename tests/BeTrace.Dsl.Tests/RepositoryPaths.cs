namespace BeTrace.Dsl.Tests;

/// <summary>Finds the repository root (the folder holding BeTrace.Orleans.sln) and the shared folder beside it.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary><c>../shared/conformance</c> next to the clone, when present (it may be newer than our copy).</summary>
    public static string? SharedConformance
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(Root, "..", "shared", "conformance"));
            return Directory.Exists(path) ? path : null;
        }
    }

    public static string TestData(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BeTrace.Orleans.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("BeTrace.Orleans.sln not found above " + AppContext.BaseDirectory);
    }
}
