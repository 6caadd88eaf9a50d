using System.Globalization;
using System.Text;
using BeTrace.Dsl.Errors;
using BeTrace.Dsl.Lexing;
using BeTrace.Dsl.Values;

namespace BeTrace.Dsl.Syntax;

/// <summary>
/// Parses and validates one rule (dsl.md sections 2, 4 and 5). The tokens come from the Sprache
/// <see cref="Lexer"/>; the grammar is walked by predictive recursive descent that chooses every
/// alternative from at most three tokens of look-ahead, so it never backtracks (linear time), counts
/// nesting while descending (no stack overflow) and reports the first token that cannot continue a
/// rule. Validation rules V2–V11 are checked at the moment their construct has been read, so the
/// error reported is the first one met reading left to right.
/// </summary>
public sealed class RuleParser
{
    public const int MaxRuleBytes = 65_536;
    public const int MaxNesting = 256;

    private readonly IReadOnlyList<Token> _tokens;
    private int _index;
    private int _depth;

    private RuleParser(IReadOnlyList<Token> tokens)
    {
        _tokens = tokens;
    }

    private Token Current => _tokens[_index];

    /// <summary>Parses and validates <paramref name="text"/>.</summary>
    /// <exception cref="DslException">The rule does not load; the exception carries the one error.</exception>
    public static RuleSyntax Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // V1 comes before everything, so a huge rule is rejected without being tokenised.
        if (text.Length > MaxRuleBytes || Encoding.UTF8.GetByteCount(text) > MaxRuleBytes)
        {
            throw new DslException(new DslError(DslErrorKind.Size, SourcePosition.Start,
                $"rule text is longer than {MaxRuleBytes} bytes (UTF-8)"));
        }
        var parser = new RuleParser(Lexer.Tokenize(text));
        return parser.ParseRule();
    }

    private Token Peek(int ahead) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)];

    private Token Advance() => _tokens[_index++];

    // ---------------------------------------------------------------- rule and blocks

    private RuleSyntax ParseRule()
    {
        if (!Current.IsKeyword(Keywords.When))
        {
            throw Expected("'when'");
        }
        Advance();
        var when = ParseBlock();
        Condition? always = null;
        Condition? never = null;
        if (Current.IsKeyword(Keywords.Always))
        {
            Advance();
            always = ParseBlock();
        }
        if (Current.IsKeyword(Keywords.Never))
        {
            Advance();
            never = ParseBlock();
        }
        if (Current.Kind != TokenKind.End)
        {
            throw Expected(never is not null ? "end of rule"
                : always is not null ? "'never' or end of rule"
                : "'always', 'never' or end of rule");
        }
        return new RuleSyntax(when, always, never);
    }

    private Condition ParseBlock()
    {
        ExpectPunctuation('{', "'{'");
        var condition = ParseCondition();
        ExpectPunctuation('}', "'}' or 'and'/'or'");
        return condition;
    }

    // ---------------------------------------------------------------- top-level conditions

    private Condition ParseCondition()
    {
        var first = ParseAndChain();
        if (!Current.IsKeyword(Keywords.Or))
        {
            return first;
        }
        var terms = new List<Condition> { first };
        while (Current.IsKeyword(Keywords.Or))
        {
            Advance();
            terms.Add(ParseAndChain());
        }
        return new OrCondition(terms, first.Position);
    }

    private Condition ParseAndChain()
    {
        var first = ParseUnary();
        if (!Current.IsKeyword(Keywords.And))
        {
            return first;
        }
        var terms = new List<Condition> { first };
        while (Current.IsKeyword(Keywords.And))
        {
            Advance();
            terms.Add(ParseUnary());
        }
        return new AndCondition(terms, first.Position);
    }

    private Condition ParseUnary()
    {
        if (!Current.IsKeyword(Keywords.Not))
        {
            return ParsePrimary();
        }
        var not = Advance();
        Enter(not);
        if (Current.IsKeyword(Keywords.Not))
        {
            throw Expected("a span name, count(...) or '(' (only one 'not' may stand here; write 'not (not ...)')");
        }
        var inner = ParsePrimary();
        Leave();
        return new NotCondition(inner, not.Position);
    }

    private Condition ParsePrimary()
    {
        var token = Current;
        if (token.IsPunctuation('('))
        {
            Advance();
            Enter(token);
            var inner = ParseCondition();
            ExpectPunctuation(')', "')' or 'and'/'or'");
            Leave();
            return new GroupCondition(inner, token.Position);
        }
        if (token.IsKeyword(Keywords.Count))
        {
            return ParseCountCheck();
        }
        if (token.Kind is TokenKind.Identifier or TokenKind.String)
        {
            return ParseSpanCheck();
        }
        throw Expected("a span name, a quoted span name, count(...), 'not' or '('");
    }

    private Condition ParseCountCheck()
    {
        var left = ParseCountRef(out var countToken);
        var opToken = Current;
        if (opToken.Kind != TokenKind.Operator)
        {
            throw Expected("a comparison ('==', '!=', '<', '<=', '>' or '>=') after count(...)");
        }
        Advance();
        CompareOps.TryFromToken(opToken.Text, out var op);
        var right = ParseValue(ValueContext.Count);
        if (right is DurationValue)
        {
            throw Invalid(right.Position, "a duration can only be compared with span:duration, not with a count");
        }
        return new CountComparison(left, op, right, countToken.Position);
    }

    private SpanName ParseCountRef(out Token countToken)
    {
        countToken = Advance();
        ExpectPunctuation('(', "'(' after 'count'");
        SpanName name;
        if (Current.Kind == TokenKind.String)
        {
            var token = Advance();
            name = new SpanName(token.Value, true, [token.Value], token.Position);
        }
        else if (Current.Kind == TokenKind.Identifier)
        {
            name = ParseDottedName(allowWhereAfter: false);
        }
        else
        {
            throw Expected("a span name or a quoted span name inside count(...)");
        }
        ExpectPunctuation(')', "')' after the span name in count(...)");
        return name;
    }

    private Condition ParseSpanCheck()
    {
        var first = Current;
        SpanName name;
        if (first.Kind == TokenKind.String)
        {
            Advance();
            name = new SpanName(first.Value, true, [first.Value], first.Position);
            if (Current.IsPunctuation('.') && !Peek(1).IsKeyword(Keywords.Where))
            {
                throw At(Current, DslErrorKind.Syntax,
                    $"expected '.where(' after a quoted span name, found '.' {Peek(1).Describe()} (a quoted name is complete)");
            }
        }
        else
        {
            name = ParseDottedName(allowWhereAfter: true);
        }

        if (Current.IsPunctuation('.'))
        {
            var filters = ParseWhereChain();
            return new SpanCheck(name, filters, first.Position);
        }
        if (IsCompareOperator(Current))
        {
            var opToken = Advance();
            CompareOps.TryFromToken(opToken.Text, out var op);
            var right = ParseValue(ValueContext.Attribute);
            if (name.Quoted)
            {
                throw Invalid(name.Position, $"a quoted span name cannot be compared; write {Quote(name.Text)}.where(attribute {opToken.Text} ...)");
            }
            if (name.Segments.Count < 2)
            {
                throw Invalid(name.Position,
                    $"a direct comparison needs span.attribute (e.g. {name.Text}.amount {opToken.Text} ...); '{name.Text}' alone names spans, not a value");
            }
            if (right is CountValue count)
            {
                throw Invalid(count.Position, "count(...) can only be compared in a count check such as count(a) > count(b)");
            }
            CheckAttributeComparison(op, right);
            var spanName = string.Join('.', name.Segments.Take(name.Segments.Count - 1));
            var spanNameSyntax = new SpanName(spanName, false, name.Segments.Take(name.Segments.Count - 1).ToArray(), name.Position);
            return new DirectComparison(spanNameSyntax, name.Segments[^1], op, right, first.Position);
        }
        return new SpanCheck(name, [], first.Position);
    }

    /// <summary>IDENT { '.' IDENT }. A '.' that cannot continue is reported at the '.' itself.</summary>
    private SpanName ParseDottedName(bool allowWhereAfter)
    {
        var first = Advance();
        var segments = new List<string> { first.Text };
        while (Current.IsPunctuation('.'))
        {
            var next = Peek(1);
            if (next.Kind == TokenKind.Identifier)
            {
                Advance();
                segments.Add(Advance().Text);
                continue;
            }
            if (allowWhereAfter && next.IsKeyword(Keywords.Where))
            {
                break;
            }
            throw At(Current, DslErrorKind.Syntax, next.Kind == TokenKind.Keyword
                ? $"expected a name segment after '.', found the keyword {next.Describe()} (keywords cannot be name segments; quote the span name)"
                : $"expected a name segment{(allowWhereAfter ? " or where(...)" : string.Empty)} after '.', found {next.Describe()}");
        }
        return new SpanName(string.Join('.', segments), false, segments, first.Position);
    }

    private List<Filter> ParseWhereChain()
    {
        var filters = new List<Filter>();
        while (Current.IsPunctuation('.'))
        {
            if (!Peek(1).IsKeyword(Keywords.Where))
            {
                throw At(Current, DslErrorKind.Syntax, $"expected '.where(' , found '.' {Peek(1).Describe()}");
            }
            Advance();
            var where = Advance();
            Enter(where);
            ExpectPunctuation('(', "'(' after 'where'");
            filters.Add(ParseFilter());
            ExpectPunctuation(')', "')' or 'and'/'or'");
            Leave();
        }
        return filters;
    }

    // ---------------------------------------------------------------- filters (one span)

    private Filter ParseFilter()
    {
        var first = ParseFilterAnd();
        if (!Current.IsKeyword(Keywords.Or))
        {
            return first;
        }
        var terms = new List<Filter> { first };
        while (Current.IsKeyword(Keywords.Or))
        {
            Advance();
            terms.Add(ParseFilterAnd());
        }
        return new FilterOr(terms, first.Position);
    }

    private Filter ParseFilterAnd()
    {
        var first = ParseFilterUnary();
        if (!Current.IsKeyword(Keywords.And))
        {
            return first;
        }
        var terms = new List<Filter> { first };
        while (Current.IsKeyword(Keywords.And))
        {
            Advance();
            terms.Add(ParseFilterUnary());
        }
        return new FilterAnd(terms, first.Position);
    }

    private Filter ParseFilterUnary()
    {
        if (!Current.IsKeyword(Keywords.Not))
        {
            return ParseFilterAtom();
        }
        var not = Advance();
        Enter(not);
        if (Current.IsKeyword(Keywords.Not))
        {
            throw Expected("an attribute, a comparison or '(' (only one 'not' may stand here; write 'not (not ...)')");
        }
        var inner = ParseFilterAtom();
        Leave();
        return new FilterNot(inner, not.Position);
    }

    private Filter ParseFilterAtom()
    {
        var token = Current;
        if (token.IsPunctuation('('))
        {
            Advance();
            Enter(token);
            var inner = ParseFilter();
            ExpectPunctuation(')', "')' or 'and'/'or'");
            Leave();
            return new FilterGroup(inner, token.Position);
        }
        Operand operand;
        switch (token.Kind)
        {
            case TokenKind.Identifier:
                operand = ParseAttributeRef();
                if (!IsCompareOperator(Current))
                {
                    return new FilterFlag((AttributeOperand)operand, token.Position);
                }
                break;
            case TokenKind.String:
                Advance();
                operand = new AttributeOperand(token.Value, KeyStyle.Quoted, token.Position);
                if (!IsCompareOperator(Current))
                {
                    throw Expected("a comparison operator after a quoted attribute key (a bare test is written without quotes)");
                }
                break;
            case TokenKind.Intrinsic:
                Advance();
                operand = new IntrinsicOperand(ParseIntrinsicName(token), token.Position);
                if (!IsCompareOperator(Current))
                {
                    throw Expected($"a comparison operator after {token.Text}");
                }
                break;
            default:
                throw Expected("an attribute key, a quoted key, an intrinsic (span:name ...), 'not' or '('");
        }

        var opToken = Advance();
        CompareOps.TryFromToken(opToken.Text, out var op);
        var isDuration = operand is IntrinsicOperand { Intrinsic: Intrinsic.Duration };
        var right = ParseValue(isDuration ? ValueContext.Duration : ValueContext.Attribute);
        if (right is CountValue count)
        {
            throw Invalid(count.Position, "count(...) cannot be compared inside where(...); use a count check such as count(a) > 3");
        }
        switch (operand)
        {
            case IntrinsicOperand { Intrinsic: Intrinsic.Status or Intrinsic.Kind } named:
                CheckEnumComparison(named.Intrinsic, opToken, op, right);
                break;
            case IntrinsicOperand { Intrinsic: Intrinsic.Duration }:
                CheckDurationComparison(opToken, op, right);
                break;
            default:
                CheckAttributeComparison(op, right);
                break;
        }
        return new FilterComparison(operand, op, right, token.Position);
    }

    /// <summary>
    /// <c>key</c>, <c>span.a.b</c> / <c>resource.a.b</c> (reserved prefixes), or a span reference
    /// <c>a.b</c>, which rule V6 rejects once the dotted name is complete.
    /// </summary>
    private AttributeOperand ParseAttributeRef()
    {
        var first = Advance();
        var dottedFollows = Current.IsPunctuation('.') && Peek(1).Kind == TokenKind.Identifier;
        if (!dottedFollows)
        {
            return new AttributeOperand(first.Text, KeyStyle.Identifier, first.Position);
        }
        var segments = new List<string>();
        while (Current.IsPunctuation('.') && Peek(1).Kind == TokenKind.Identifier)
        {
            Advance();
            segments.Add(Advance().Text);
        }
        var key = string.Join('.', segments);
        if (first.Text is "span" or "resource")
        {
            return new AttributeOperand(key, first.Text == "span" ? KeyStyle.SpanPrefix : KeyStyle.ResourcePrefix, first.Position);
        }
        var dotted = first.Text + "." + key;
        throw Invalid(first.Position,
            $"span reference '{dotted}' is not supported inside where(...); write \"{dotted}\" or span.{dotted}");
    }

    private Intrinsic ParseIntrinsicName(Token token) => token.Value switch
    {
        "name" => Intrinsic.Name,
        "service" => Intrinsic.Service,
        "status" => Intrinsic.Status,
        "kind" => Intrinsic.Kind,
        "duration" => Intrinsic.Duration,
        _ => throw Invalid(token.Position,
            $"unknown intrinsic '{token.Text}'; the intrinsics are span:name, span:service, span:status, span:kind and span:duration"),
    };

    // ---------------------------------------------------------------- values

    private enum ValueContext
    {
        Attribute,
        Count,
        Duration,
    }

    private Value ParseValue(ValueContext context)
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.String:
                Advance();
                return new StringValue(token.Value, token.Position);
            case TokenKind.Identifier:
                Advance();
                return new IdentifierValue(token.Text, token.Position);
            case TokenKind.Integer:
            case TokenKind.Float:
                Advance();
                var number = ReadNumber(token, token.Position);
                if (context == ValueContext.Duration)
                {
                    CheckMilliseconds(token, token.Position);
                }
                return number;
            case TokenKind.Duration:
                Advance();
                return ReadDuration(token);
            case TokenKind.Keyword when token.Text is Keywords.True or Keywords.False:
                Advance();
                return new BoolValue(token.Text == Keywords.True, token.Position);
            case TokenKind.Keyword when token.Text == Keywords.Count:
                var name = ParseCountRef(out var countToken);
                return new CountValue(name, countToken.Position);
            case TokenKind.Punctuation when token.IsPunctuation('['):
                return ParseList(context);
            default:
                throw Expected("a value (string, number, duration, true, false, identifier or list)");
        }
    }

    private ListValue ParseList(ValueContext context)
    {
        var open = Advance();
        var items = new List<Value>();
        while (true)
        {
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.String:
                    items.Add(new StringValue(token.Value, token.Position));
                    break;
                case TokenKind.Identifier:
                    items.Add(new IdentifierValue(token.Text, token.Position));
                    break;
                case TokenKind.Integer:
                case TokenKind.Float:
                    items.Add(ReadNumber(token, open.Position));
                    if (context == ValueContext.Duration)
                    {
                        CheckMilliseconds(token, open.Position);
                    }
                    break;
                default:
                    throw Expected("a list item (string, identifier or number)");
            }
            Advance();
            if (Current.IsPunctuation(','))
            {
                Advance();
                continue;
            }
            ExpectPunctuation(']', "',' or ']'");
            return new ListValue(items, open.Position);
        }
    }

    /// <summary>V3: integers fit in int64 and floats do not round to infinity.</summary>
    private static NumberValue ReadNumber(Token token, SourcePosition errorAt)
    {
        if (token.Kind == TokenKind.Integer)
        {
            if (!long.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var whole))
            {
                throw Invalid(errorAt, $"integer {Shorten(token.Text)} does not fit in a signed 64-bit integer (at most 9223372036854775807)");
            }
            return new NumberValue(token.Text, whole, token.Position);
        }
        var value = double.Parse(token.Text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        if (double.IsInfinity(value))
        {
            throw Invalid(errorAt, $"number {Shorten(token.Text)} is too large (it rounds to infinity)");
        }
        return new NumberValue(token.Text, value, token.Position);
    }

    /// <summary>V4: a number compared with span:duration is milliseconds and must fit in int64 nanoseconds.</summary>
    private static void CheckMilliseconds(Token token, SourcePosition errorAt)
    {
        if (!ExactNanos.TryCreate(token.Text, ExactNanos.NanosPerMillisecond, out _))
        {
            throw Invalid(errorAt, $"{Shorten(token.Text)} ms is longer than the largest duration (9223372036854775807 ns, about 292 years)");
        }
    }

    private static DurationValue ReadDuration(Token token)
    {
        var (number, unit) = ExactNanos.SplitDuration(token.Text);
        if (!ExactNanos.TryCreate(number, ExactNanos.UnitNanos(unit), out var nanos))
        {
            throw Invalid(token.Position, $"duration {Shorten(token.Text)} is longer than the largest duration (9223372036854775807 ns, about 292 years)");
        }
        return new DurationValue(token.Text, nanos, token.Position);
    }

    // ---------------------------------------------------------------- validation of comparisons

    /// <summary>Attributes, span:name, span:service and direct comparisons: no duration (V10); a valid pattern (V11).</summary>
    private static void CheckAttributeComparison(CompareOp op, Value right)
    {
        if (right is DurationValue)
        {
            throw Invalid(right.Position, "a duration can only be compared with span:duration");
        }
        if (op == CompareOp.Matches)
        {
            CheckPattern(right);
        }
    }

    /// <summary>V11: the pattern must compile with the non-backtracking engine.</summary>
    private static void CheckPattern(Value right)
    {
        var pattern = LiteralText.Of(right);
        try
        {
            _ = PatternCache.Compile(pattern);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            throw Invalid(right.Position, $"invalid regular expression: {ex.Message}");
        }
    }

    /// <summary>
    /// V9: span:status / span:kind take ==, != (one name) and in (a list of names). The names stay as written
    /// in the syntax tree; the compiler resolves them.
    /// </summary>
    private static void CheckEnumComparison(Intrinsic intrinsic, Token opToken, CompareOp op, Value right)
    {
        var names = intrinsic == Intrinsic.Status ? EnumNames.Statuses : EnumNames.Kinds;
        var what = intrinsic == Intrinsic.Status ? "span:status" : "span:kind";
        if (op is not (CompareOp.Eq or CompareOp.Ne or CompareOp.In))
        {
            throw Invalid(opToken.Position, $"{what} takes only ==, != and in");
        }
        if (op == CompareOp.In)
        {
            if (right is not ListValue list)
            {
                throw Invalid(right.Position, $"{what} in needs a list of names, e.g. [{string.Join(", ", names)}]");
            }
            foreach (var item in list.Items)
            {
                CheckEnumName(item, names, what, right.Position);
            }
            return;
        }
        CheckEnumName(right, names, what, right.Position);
    }

    private static void CheckEnumName(Value value, IReadOnlyList<string> names, string what, SourcePosition errorAt)
    {
        var text = value is IdentifierValue or StringValue ? LiteralText.Of(value) : null;
        if (text is null || EnumNames.Match(text, names) is null)
        {
            throw Invalid(errorAt, $"{what} must be compared with one of {string.Join(", ", names)}, found {Describe(value)}");
        }
    }

    /// <summary>V10: span:duration takes the six orderings with a duration or number, or in with numbers.</summary>
    private static void CheckDurationComparison(Token opToken, CompareOp op, Value right)
    {
        if (op is CompareOp.Matches or CompareOp.Contains)
        {
            throw Invalid(opToken.Position, "span:duration takes ==, !=, <, <=, >, >= and in");
        }
        if (op == CompareOp.In)
        {
            if (right is not ListValue list || list.Items.Any(item => item is not NumberValue))
            {
                throw Invalid(right.Position, "span:duration in needs a list of numbers (milliseconds), e.g. [100, 250]");
            }
            return;
        }
        if (right is not (DurationValue or NumberValue))
        {
            throw Invalid(right.Position, $"span:duration must be compared with a duration (500ms, 1.5s) or a number of milliseconds, found {Describe(right)}");
        }
    }

    // ---------------------------------------------------------------- helpers

    private void Enter(Token opener)
    {
        if (++_depth > MaxNesting)
        {
            throw At(opener, DslErrorKind.Validation, $"nesting is deeper than {MaxNesting} levels");
        }
    }

    private void Leave() => _depth--;

    private static bool IsCompareOperator(Token token) =>
        token.Kind == TokenKind.Operator
        || (token.Kind == TokenKind.Keyword && token.Text is Keywords.In or Keywords.Matches or Keywords.Contains);

    private void ExpectPunctuation(char c, string expected)
    {
        if (!Current.IsPunctuation(c))
        {
            throw Expected(expected);
        }
        Advance();
    }

    private DslException Expected(string what) =>
        At(Current, DslErrorKind.Syntax, $"expected {what}, found {Current.Describe()}");

    private static DslException At(Token token, DslErrorKind kind, string message) =>
        new(new DslError(kind, token.Position, message));

    private static DslException Invalid(SourcePosition position, string message) =>
        new(new DslError(DslErrorKind.Validation, position, message));

    private static string Shorten(string text) => text.Length > 40 ? text[..37] + "..." : text;

    private static string Quote(string text) => "\"" + text + "\"";

    private static string Describe(Value value) => value switch
    {
        StringValue s => Quote(Shorten(s.Text)),
        IdentifierValue i => Shorten(i.Text),
        NumberValue n => Shorten(n.Raw),
        DurationValue d => d.Raw,
        BoolValue b => b.Flag ? "true" : "false",
        ListValue => "a list",
        CountValue => "count(...)",
        _ => "a value",
    };
}
