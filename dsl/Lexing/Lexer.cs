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
    private static readonly Parser<string> Digits = Run(AsciiChars.IsDigit, AsciiChars.IsDigit, "digit");

    private static readonly Parser<string> Skippable =
        Run(AsciiChars.IsWhitespace, AsciiChars.IsWhitespace, "whitespace")
            .Or(from slashes in Parse.String("//").Text()
                from rest in Run(c => c != '\n', c => c != '\n', "comment").Optional()
                select slashes + rest.GetOrElse(string.Empty));

    // Rows 3 and 9: a word is a keyword when it is one of the 13, otherwise an identifier.
    private static readonly Parser<string> Word = Run(c => AsciiChars.IsLetter(c) || c == '_', AsciiChars.IsWordChar, "letter or '_'");

    // Rows 4-6 share their start: digits, an optional fraction, then a duration unit only when the whole
    // run of word characters after the number is exactly one unit (so "5ms" is a duration while "5msx",
    // "5sec" and "5m_" are the integer 5 followed by an identifier). Without a unit: a float with a
    // fraction, an integer without.
    private static readonly Parser<string> Unit =
        Run(AsciiChars.IsWordChar, AsciiChars.IsWordChar, "unit").Where(run => run is "ns" or "us" or "ms" or "s" or "m" or "h");

    private static readonly Parser<string> Fraction =
        from dot in Parse.Char('.')
        from digits in Digits
        select "." + digits;

    private static readonly Parser<Token> NumberToken = input =>
    {
        var whole = Digits(input);
        if (!whole.WasSuccessful)
        {
            return Result.Failure<Token>(input, whole.Message, whole.Expectations);
        }
        var number = whole.Value;
        var kind = TokenKind.Integer;
        var rest = whole.Remainder;
        var fraction = Fraction(rest);
        if (fraction.WasSuccessful)
        {
            number += fraction.Value;
            kind = TokenKind.Float;
            rest = fraction.Remainder;
        }
        var unit = Unit(rest);
        if (unit.WasSuccessful)
        {
            number += unit.Value;
            kind = TokenKind.Duration;
            rest = unit.Remainder;
        }
        return Result.Success(new Token(kind, number, number, PositionOf(input)), rest);
    };

    private static readonly Parser<Token> StringToken =
        from start in Position
        from open in Parse.Char('"')
        from body in Run(c => c != '"', c => c != '"', "string character").Optional()
        from close in Parse.Char('"')
        let text = body.GetOrElse(string.Empty)
        select new Token(TokenKind.String, "\"" + text + "\"", text, start);

    private static readonly Parser<Token> IntrinsicToken =
        from start in Position
        from prefix in Parse.String("span:").Text()
        from name in Word
        select new Token(TokenKind.Intrinsic, prefix + name, name, start);

    private static readonly Parser<Token> WordToken = input =>
    {
        var word = Word(input);
        return word.WasSuccessful
            ? Result.Success(new Token(Keywords.IsKeyword(word.Value) ? TokenKind.Keyword : TokenKind.Identifier,
                word.Value, word.Value, PositionOf(input)), word.Remainder)
            : Result.Failure<Token>(input, word.Message, word.Expectations);
    };

    // Row 10: the two-character operators before the one-character ones. Read directly: Sprache's
    // Parse.String alternatives allocated kilobytes per operator on failure.
    private static readonly Parser<Token> OperatorToken = input =>
    {
        var source = input.Source;
        var at = input.Position;
        var next = at + 1 < source.Length ? source[at + 1] : '\0';
        var text = (source[at], next) switch
        {
            ('=', '=') => "==",
            ('!', '=') => "!=",
            ('<', '=') => "<=",
            ('>', '=') => ">=",
            ('<', _) => "<",
            ('>', _) => ">",
            _ => null,
        };
        return text is null
            ? Result.Failure<Token>(input, "expected an operator", ["operator"])
            : Result.Success(new Token(TokenKind.Operator, text, text, PositionOf(input)), Skip(input, text.Length));
    };

    private static readonly Parser<Token> PunctuationToken = input =>
        Result.Success(new Token(TokenKind.Punctuation, Punctuation(input.Current), Punctuation(input.Current), PositionOf(input)), input.Advance());

    // Token kinds are chosen by their first character (words, numbers, strings, operators, punctuation
    // cannot start alike), then tried in the spec's order within that group: an intrinsic before a word,
    // a duration before a float before an integer. This gives the spec's tokens without trying every kind.
    private static readonly Parser<Token> SpanWordOrIntrinsic = IntrinsicToken.Or(WordToken);

    private static bool StartsIntrinsic(IInput input) =>
        input.Source.AsSpan(input.Position).StartsWith("span:", StringComparison.Ordinal);

    private static Parser<Token>? TokenStartingWith(IInput input) => input.Current switch
    {
        '"' => StringToken,
        '=' or '!' or '<' or '>' => OperatorToken,
        '{' or '}' or '(' or ')' or '[' or ']' or ',' or '.' => PunctuationToken,
        's' when StartsIntrinsic(input) => SpanWordOrIntrinsic,
        _ when AsciiChars.IsDigit(input.Current) => NumberToken,
        _ when AsciiChars.IsLetter(input.Current) || input.Current == '_' => WordToken,
        _ => null,
    };

    /// <summary>
    /// A run of characters: one matching <paramref name="first"/>, then any matching <paramref name="rest"/>, read in
    /// one step rather than one Sprache result per character (which made long rules slow to tokenise).
    /// </summary>
    private static Parser<string> Run(Func<char, bool> first, Func<char, bool> rest, string description) => input =>
    {
        var source = input.Source;
        var start = input.Position;
        if (start >= source.Length || !first(source[start]))
        {
            return Result.Failure<string>(input, $"expected {description}", [description]);
        }
        var end = start + 1;
        while (end < source.Length && rest(source[end]))
        {
            end++;
        }
        return Result.Success(source[start..end], Skip(input, end - start));
    };

    private static IInput Skip(IInput input, int count)
    {
        if (input is RuleInput rule)
        {
            return rule.AdvanceBy(count);
        }
        for (var i = 0; i < count; i++)
        {
            input = input.Advance();
        }
        return input;
    }

    private static Parser<SourcePosition> Position =>
        input => Result.Success(PositionOf(input), input);

    private static SourcePosition PositionOf(IInput input) => new(input.Position, input.Line, input.Column);

    private static string Punctuation(char c) => c switch
    {
        '{' => "{",
        '}' => "}",
        '(' => "(",
        ')' => ")",
        '[' => "[",
        ']' => "]",
        ',' => ",",
        _ => ".",
    };

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
            var parser = TokenStartingWith(input);
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
