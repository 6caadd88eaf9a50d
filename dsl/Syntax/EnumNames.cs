namespace BeTrace.Dsl.Syntax;

/// <summary>The status and kind names of V9, matched with ASCII-only case folding.</summary>
public static class EnumNames
{
    public static readonly IReadOnlyList<string> Statuses = ["UNSET", "OK", "ERROR"];

    public static readonly IReadOnlyList<string> Kinds = ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"];

    /// <summary>
    /// The canonical name that <paramref name="text"/> spells, folding only a–z to A–Z
    /// (culture upper-casing would also fold characters such as U+017F to 'S').
    /// </summary>
    public static string? Match(string text, IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            if (name.Length != text.Length)
            {
                continue;
            }
            var same = true;
            for (var i = 0; i < name.Length && same; i++)
            {
                var c = text[i];
                var upper = c is >= 'a' and <= 'z' ? (char)(c - 32) : c;
                same = upper == name[i];
            }
            if (same)
            {
                return name;
            }
        }
        return null;
    }
}
