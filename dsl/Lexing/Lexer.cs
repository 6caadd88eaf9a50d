using BeTrace.Dsl.Errors;
using Sprache;

namespace BeTrace.Dsl.Lexing;

/// <summary>
/// Splits rule text into the tokens of dsl.md section 3.1 with Sprache. At each position the token
/// kinds are tried in the spec's order and the first that matches wins; whitespace and comments are
/// skipped. The whole text is tokenised before parsing, so a lexical error anywhere wins over syntax.
/// </summary>
public static class Lexer
{
    private static readonly Parser<char> Letter = Parse.Char(AsciiChars.IsLetter, "letter");
    private static readonly Parser<char> Digit = Parse.Char(AsciiChars.IsDigit, "digit");
    private static readonly Parser<char> WordChar = Parse.Char(AsciiChars.IsWordChar, "letter, digit or '_'");
    private static readonly Parser<string> Digits = Digit.AtLeastOnce().Text();

    private static readonly Parser<string> Skippable =
        Parse.Char(AsciiChars.IsWhitespace, "whitespace").AtLeastOnce().Text()
            .Or(from slashes in Parse.String("//").Text()
                from rest in Parse.CharExcept('\n').Many().Text()
                select slashes + rest);

    // Rows 3 and 9: a word is a keyword when it is one of the 13, otherwise an identifier.
    private static readonly Parser<string> Word =
        from first in Letter.Or(Parse.Char('_'))
        from rest in WordChar.Many().Text()
        select first + rest;

    // Rows 4-6 share their start: digits, an optional fraction, then a duration unit only when the whole
    // run of word characters after the number is exactly one unit (so "5ms" is a duration while "5msx",
    // "5sec" and "5m_" are the integer 5 followed by an identifier). Without a unit: a float with a
    // fraction, an integer without.
    private static readonly Parser<string> Unit =
        WordChar.AtLeastOnce().Text().Where(run => run is "ns" or "us" or "ms" or "s" or "m" or "h");

    private static readonly Parser<string> Fraction =
        from dot in Parse.Char('.')
        from digits in Digits
        select "." + digits;

    private static readonly Parser<Token> NumberToken =
        from start in Position
        from whole in Digits
        from fraction in Fraction.Optional()
        from unit in Unit.Optional()
        let number = whole + fraction.GetOrElse(string.Empty)
        select unit.IsDefined
            ? new Token(TokenKind.Duration, number + unit.Get(), number + unit.Get(), start)
            : new Token(fraction.IsDefined ? TokenKind.Float : TokenKind.Integer, number, number, start);

    private static readonly Parser<Token> StringToken =
        from start in Position
        from open in Parse.Char('"')
        from body in Parse.CharExcept('"').Many().Text()
        from close in Parse.Char('"')
        select new Token(TokenKind.String, "\"" + body + "\"", body, start);

    private static readonly Parser<Token> IntrinsicToken =
        from start in Position
        from prefix in Parse.String("span:").Text()
        from first in Letter.Or(Parse.Char('_'))
        from rest in WordChar.Many().Text()
        select new Token(TokenKind.Intrinsic, prefix + first + rest, first + rest, start);

    private static readonly Parser<Token> WordToken =
        from start in Position
        from word in Word
        select new Token(Keywords.IsKeyword(word) ? TokenKind.Keyword : TokenKind.Identifier, word, word, start);

    private static readonly Parser<Token> OperatorToken =
        from start in Position
        from op in Parse.String("==").Or(Parse.String("!=")).Or(Parse.String("<="))
            .Or(Parse.String(">=")).Or(Parse.String("<")).Or(Parse.String(">")).Text()
        select new Token(TokenKind.Operator, op, op, start);

    private static readonly Parser<Token> PunctuationToken =
        from start in Position
        from c in Parse.Chars("{}()[],.")
        select new Token(TokenKind.Punctuation, c.ToString(), c.ToString(), start);

    // Token kinds are chosen by their first character (words, numbers, strings, operators, punctuation
    // cannot start alike), then tried in the spec's order within that group: an intrinsic before a word,
    // a duration before a float before an integer. This gives the spec's tokens without trying every kind.
    private static readonly Parser<Token> SpanWordOrIntrinsic = IntrinsicToken.Or(WordToken);

    private static Parser<Token>? TokenStartingWith(char c) => c switch
    {
        '"' => StringToken,
        '=' or '!' or '<' or '>' => OperatorToken,
        '{' or '}' or '(' or ')' or '[' or ']' or ',' or '.' => PunctuationToken,
        's' => SpanWordOrIntrinsic,
        _ when AsciiChars.IsDigit(c) => NumberToken,
        _ when AsciiChars.IsLetter(c) || c == '_' => WordToken,
        _ => null,
    };

    private static Parser<SourcePosition> Position =>
        input => Result.Success(new SourcePosition(input.Position, input.Line, input.Column), input);

    /// <summary>Tokenises <paramref name="text"/>; the last token is always <see cref="TokenKind.End"/>.</summary>
    /// <exception cref="DslException">A character starts no token.</exception>
    public static IReadOnlyList<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        IInput input = new RuleInput(text);
        while (true)
        {
            while (!input.AtEnd && (AsciiChars.IsWhitespace(input.Current) || input.Current == '/'))
            {
                var skipped = Skippable(input);
                if (!skipped.WasSuccessful)
                {
                    break;
                }
                input = skipped.Remainder;
            }
            if (input.AtEnd)
            {
                tokens.Add(new Token(TokenKind.End, string.Empty, string.Empty,
                    new SourcePosition(input.Position, input.Line, input.Column)));
                return tokens;
            }
            var parser = TokenStartingWith(input.Current);
            var token = parser?.Invoke(input);
            if (token is null || !token.WasSuccessful)
            {
                throw new DslException(new DslError(DslErrorKind.Lexical,
                    new SourcePosition(input.Position, input.Line, input.Column), DescribeBadCharacter(input.Current)));
            }
            tokens.Add(token.Value);
            input = token.Remainder;
        }
    }

    private static string DescribeBadCharacter(char c)
    {
        if (c == '"')
        {
            return "unterminated string: no closing '\"' (strings have no escapes and cannot contain '\"')";
        }
        var shown = c < 0x20 || c == 0x7f || c > 0x7e ? $"U+{(int)c:X4}" : $"'{c}'";
        var hint = c switch
        {
            '&' => " (write 'and')",
            '|' => " (write 'or')",
            '!' => " (write 'not', or '!=')",
            '=' => " (write '==')",
            '\'' => " (strings use double quotes)",
            '-' => " (numbers have no sign)",
            _ => string.Empty,
        };
        return $"unexpected character {shown}{hint}";
    }
}
