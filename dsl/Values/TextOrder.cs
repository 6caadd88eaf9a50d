namespace BeTrace.Dsl.Values;

/// <summary>
/// Orders texts by Unicode code point (equal to UTF-8 byte order). Ordinal UTF-16 comparison differs when a
/// surrogate pair (above U+FFFF) meets a character in U+E000–U+FFFF, so the first differing units are remapped.
/// </summary>
public static class TextOrder
{
    public static int Compare(string left, string right)
    {
        var length = Math.Min(left.Length, right.Length);
        for (var i = 0; i < length; i++)
        {
            var a = left[i];
            var b = right[i];
            if (a != b)
            {
                return Rank(a).CompareTo(Rank(b));
            }
        }
        return left.Length.CompareTo(right.Length);
    }

    // Surrogates (D800–DFFF) stand for code points above FFFF, so they must sort after E000–FFFF.
    private static int Rank(char c) => c < 0xD800 ? c : c < 0xE000 ? c + 0x2000 : c - 0x800;
}
