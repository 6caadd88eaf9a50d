namespace BeTrace.Console;

/// <summary>The streams a command reads and writes; tests pass their own.</summary>
public sealed record CliIo(TextReader In, TextWriter Out, TextWriter Error)
{
    /// <summary>Reads a file, or standard input for <c>-</c>.</summary>
    /// <exception cref="CliInputException">The file cannot be read.</exception>
    public string ReadText(string path)
    {
        if (path == "-")
        {
            return In.ReadToEnd();
        }
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"cannot read {path}: {ex.Message}", ex);
        }
    }
}
