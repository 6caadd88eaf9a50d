namespace BeTrace.Dsl.Lexing;

/// <summary>
/// The ASCII-only character classes of the language. The BCL's char.IsLetter and friends accept
/// Unicode letters, digits and spaces, which the language forbids, so they are never used.
/// </summary>
public static class AsciiChars
{
    public static bool IsLetter(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z');

    public static bool IsDigit(char c) => c is >= '0' and <= '9';

    public static bool IsWordChar(char c) => IsLetter(c) || IsDigit(c) || c == '_';

    public static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';
}
