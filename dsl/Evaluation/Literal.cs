using System.Text.RegularExpressions;
using BeTrace.Dsl.Syntax;
using BeTrace.Dsl.Values;

namespace BeTrace.Dsl.Evaluation;

/// <summary>
/// A right-hand value prepared at load time: its numeric value (if numeric, dsl.md 7.2), its text form
/// (7.3), its list items and, for <c>matches</c>, its compiled pattern.
/// </summary>
internal sealed class Literal
{
    private Literal(bool isNumeric, double number, bool isText, string text, Literal[]? items)
    {
        IsNumeric = isNumeric;
        Number = number;
        IsText = isText;
        Text = text;
        Items = items;
    }

    public bool IsNumeric { get; }

    public double Number { get; }

    /// <summary>Strings and identifiers are text; numbers, booleans and lists are not.</summary>
    public bool IsText { get; }

    public string Text { get; }

    /// <summary>The items of a list literal, null for any other value.</summary>
    public Literal[]? Items { get; }

    public Regex? Pattern { get; private set; }

    public static Literal From(Value value)
    {
        switch (value)
        {
            case StringValue or IdentifierValue:
                var text = LiteralText.Of(value);
                var numeric = NumericText.TryParse(text, out var parsed);
                return new Literal(numeric, parsed, true, text, null);
            case NumberValue number:
                return new Literal(true, number.Number, false, LiteralText.Of(value), null);
            case BoolValue:
                return new Literal(false, 0, false, LiteralText.Of(value), null);
            case ListValue list:
                return new Literal(false, 0, false, LiteralText.Of(value), list.Items.Select(From).ToArray());
            default:
                throw new ArgumentOutOfRangeException(nameof(value), value, "not a comparable literal");
        }
    }

    public static Literal ForPattern(Value value)
    {
        var literal = From(value);
        literal.Pattern = PatternCache.Compile(literal.Text);
        return literal;
    }
}
