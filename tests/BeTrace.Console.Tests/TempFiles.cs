namespace BeTrace.Console.Tests;

/// <summary>A temporary folder for the files a test hands to <c>betrace</c>; deleted on dispose.</summary>
internal sealed class TempFiles : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("betrace-test-").FullName;

    public string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
