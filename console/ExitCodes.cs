namespace BeTrace.Console;

/// <summary>What the <c>betrace</c> process returns, so scripts can branch on it.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked (for <c>dsl eval</c>: no trace violates the rule).</summary>
    public const int Ok = 0;

    /// <summary>A rule is invalid (<c>dsl check</c>, <c>dsl eval</c>).</summary>
    public const int InvalidRule = 1;

    /// <summary>Bad usage or unreadable input (missing file, malformed JSON).</summary>
    public const int BadInput = 2;

    /// <summary><c>dsl eval</c>: at least one trace violates the rule.</summary>
    public const int Violation = 3;
}
