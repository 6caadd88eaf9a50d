namespace BeTrace.Dsl.Lexing;

/// <summary>The 13 reserved words of dsl.md section 3.1.</summary>
public static class Keywords
{
    public const string When = "when";
    public const string Always = "always";
    public const string Never = "never";
    public const string And = "and";
    public const string Or = "or";
    public const string Not = "not";
    public const string Where = "where";
    public const string Count = "count";
    public const string In = "in";
    public const string Matches = "matches";
    public const string Contains = "contains";
    public const string True = "true";
    public const string False = "false";

    private static readonly HashSet<string> All = new(StringComparer.Ordinal)
    {
        When, Always, Never, And, Or, Not, Where, Count, In, Matches, Contains, True, False,
    };

    public static bool IsKeyword(string word) => All.Contains(word);
}
