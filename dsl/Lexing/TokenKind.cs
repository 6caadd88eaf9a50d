namespace BeTrace.Dsl.Lexing;

/// <summary>The token kinds of dsl.md section 3.1, plus the end marker the parser sees last.</summary>
public enum TokenKind
{
    Keyword,
    Duration,
    Float,
    Integer,
    String,
    Intrinsic,
    Identifier,
    Operator,
    Punctuation,
    End,
}
