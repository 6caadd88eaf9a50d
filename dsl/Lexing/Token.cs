using BeTrace.Dsl.Errors;

namespace BeTrace.Dsl.Lexing;

/// <summary>
/// One token. <see cref="Text"/> is the source text (for a string, with its quotes);
/// <see cref="Value"/> is what the token stands for (a string's contents, otherwise the text).
/// </summary>
public sealed record Token(TokenKind Kind, string Text, string Value, SourcePosition Position)
{
    public bool Is(TokenKind kind, string text) => Kind == kind && Text == text;

    public bool IsKeyword(string keyword) => Kind == TokenKind.Keyword && Text == keyword;

    public bool IsPunctuation(char c) => Kind == TokenKind.Punctuation && Text.Length == 1 && Text[0] == c;

    /// <summary>How an error message names this token: its text in quotes, shortened, or "end of rule".</summary>
    public string Describe()
    {
        if (Kind == TokenKind.End)
        {
            return "end of rule";
        }
        var text = Text.Length > 40 ? Text[..37] + "..." : Text;
        return $"'{text}'";
    }
}
