namespace BeTrace.Console.Violations;

/// <summary>
/// Finds the violation signing key: <c>--key</c>, else <c>--key-file</c> (trimmed, as the silo reads its key file),
/// else the <c>BETRACE_SIGNING_KEY</c> environment variable. Prefer the file or the variable: a key on the command
/// line is visible to other users of the machine.
/// </summary>
public static class SigningKeySource
{
    public const string Variable = "BETRACE_SIGNING_KEY";

    /// <exception cref="CliInputException">No key, both options, or an unreadable file.</exception>
    public static string Resolve(string? key, string? keyFile, CliIo io)
    {
        if (key is not null && keyFile is not null)
        {
            throw new CliInputException("give the key either with --key or with --key-file, not both");
        }
        var resolved = key
            ?? (keyFile is null ? null : io.ReadText(keyFile).Trim())
            ?? Environment.GetEnvironmentVariable(Variable);
        return string.IsNullOrEmpty(resolved)
            ? throw new CliInputException($"no signing key: give --key-file FILE, --key KEY or set {Variable} (the embedded silo keeps its key in DATA/violation-signing.key)")
            : resolved;
    }
}
