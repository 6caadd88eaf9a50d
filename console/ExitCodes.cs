namespace BeTrace.Console;

/// <summary>What the <c>betrace</c> process returns, so scripts can branch on it (docs/console.md lists them).</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked (for <c>dsl eval</c> and <c>replay</c>: no trace violates a rule).</summary>
    public const int Ok = 0;

    /// <summary>A rule is invalid: its expression does not load or a field is refused.</summary>
    public const int InvalidRule = 1;

    /// <summary>Bad usage or unreadable input (missing file, malformed JSON or YAML, no signing key).</summary>
    public const int BadInput = 2;

    /// <summary><c>dsl eval</c>, <c>replay</c>: at least one trace violates a rule.</summary>
    public const int Violation = 3;

    /// <summary>The cluster cannot be reached (no gateway, database down, timeout) or was lost during the command.</summary>
    public const int Unreachable = 4;

    /// <summary>The named rule does not exist.</summary>
    public const int NotFound = 5;

    /// <summary>The change was refused because of the rule's current state: a stale version, or the id is taken.</summary>
    public const int Conflict = 6;

    /// <summary><c>violations verify</c>: at least one violation does not verify (tampered, unsigned, or another key).</summary>
    public const int BadSignature = 7;

    /// <summary>Ctrl+C or SIGTERM stopped a command that had not finished (<c>violations tail</c> ends with 0 instead).</summary>
    public const int Interrupted = 130;
}
