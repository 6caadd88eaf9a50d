using System.Globalization;
using System.Text;
using BeTrace.Dsl.Values;

namespace BeTrace.Dsl.Model;

/// <summary>
/// A typed attribute value. Whether it is numeric (dsl.md 7.2) is decided once, when the value is made;
/// its text form (7.3) is made on first use and kept, so evaluating a trace again allocates nothing.
/// </summary>
public sealed class AttrValue
{
    private readonly string? _string;
    private readonly long _int;
    private readonly double _double;
    private readonly bool _bool;
    private readonly AttrValue[]? _items;
    private string? _text;

    private AttrValue(AttrKind kind, string? str, long integer, double dbl, bool flag, AttrValue[]? items)
    {
        Kind = kind;
        _string = str;
        _int = integer;
        _double = dbl;
        _bool = flag;
        _items = items;
        switch (kind)
        {
            case AttrKind.String:
                IsNumeric = NumericText.TryParse(str!, out var parsed);
                Number = parsed;
                _text = str;
                break;
            case AttrKind.Int:
                IsNumeric = true;
                Number = integer;
                break;
            case AttrKind.Double:
                IsNumeric = double.IsFinite(dbl);
                Number = dbl;
                break;
        }
    }

    public static AttrValue Null { get; } = new(AttrKind.Null, null, 0, 0, false, null);

    private static readonly AttrValue TrueValue = new(AttrKind.Bool, null, 0, 0, true, null);
    private static readonly AttrValue FalseValue = new(AttrKind.Bool, null, 0, 0, false, null);

    public AttrKind Kind { get; }

    /// <summary>True for integers, finite doubles and strings of the plain decimal form.</summary>
    public bool IsNumeric { get; }

    /// <summary>The numeric value when <see cref="IsNumeric"/>.</summary>
    public double Number { get; }

    /// <summary>Strings and arrays are text for ordering; booleans and doubles are not.</summary>
    public bool IsText => Kind is AttrKind.String or AttrKind.Array;

    /// <summary>The boolean test of <c>where(flag)</c>: boolean true or exactly the string "true".</summary>
    public bool IsTrueFlag => Kind == AttrKind.Bool ? _bool : Kind == AttrKind.String && _string == "true";

    public string Text => _text ??= MakeText();

    public string? StringValue => _string;

    public IReadOnlyList<AttrValue> Items => _items ?? [];

    public static AttrValue FromString(string value) => new(AttrKind.String, value, 0, 0, false, null);

    public static AttrValue FromInt(long value) => new(AttrKind.Int, null, value, 0, false, null);

    public static AttrValue FromDouble(double value) => new(AttrKind.Double, null, 0, value, false, null);

    public static AttrValue FromBool(bool value) => value ? TrueValue : FalseValue;

    public static AttrValue FromArray(IEnumerable<AttrValue> items) => new(AttrKind.Array, null, 0, 0, false, items.ToArray());

    public override string ToString() => Kind == AttrKind.String ? $"\"{Text}\"" : Text;

    private string MakeText()
    {
        switch (Kind)
        {
            case AttrKind.String:
                return _string!;
            case AttrKind.Int:
                return _int.ToString(CultureInfo.InvariantCulture);
            case AttrKind.Double:
                return NumberText.Format(_double);
            case AttrKind.Bool:
                return _bool ? "true" : "false";
            case AttrKind.Null:
                return "null";
            default:
                var builder = new StringBuilder();
                AppendJson(builder, this);
                return builder.ToString();
        }
    }

    /// <summary>Compact JSON with the minimal escaping dsl.md 7.3 prescribes (not .NET's JSON writers).</summary>
    private static void AppendJson(StringBuilder builder, AttrValue value)
    {
        if (value.Kind == AttrKind.Array)
        {
            builder.Append('[');
            for (var i = 0; i < value._items!.Length; i++)
            {
                if (i > 0)
                {
                    builder.Append(',');
                }
                AppendJson(builder, value._items[i]);
            }
            builder.Append(']');
            return;
        }
        if (value.Kind != AttrKind.String)
        {
            builder.Append(value.Text);
            return;
        }
        builder.Append('"');
        foreach (var c in value._string!)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\t': builder.Append("\\t"); break;
                case '\n': builder.Append("\\n"); break;
                case '\f': builder.Append("\\f"); break;
                case '\r': builder.Append("\\r"); break;
                default:
                    if (c < 0x20)
                    {
                        builder.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        builder.Append('"');
    }
}
