using System.Globalization;

namespace BeTrace.Dsl.Values;

/// <summary>
/// Decides whether a string is numeric (dsl.md 7.2): its entire text has the plain decimal form
/// <c>[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?</c> and its value is a finite double.
/// </summary>
public static class NumericText
{
    public static bool TryParse(string text, out double value)
    {
        value = 0;
        if (!HasPlainDecimalForm(text))
        {
            return false;
        }
        value = double.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture);
        return double.IsFinite(value);
    }

    private static bool HasPlainDecimalForm(string text)
    {
        var i = 0;
        var n = text.Length;
        if (i < n && (text[i] == '+' || text[i] == '-'))
        {
            i++;
        }
        if (!Digits(text, ref i))
        {
            return false;
        }
        if (i < n && text[i] == '.')
        {
            i++;
            if (!Digits(text, ref i))
            {
                return false;
            }
        }
        if (i < n && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            if (i < n && (text[i] == '+' || text[i] == '-'))
            {
                i++;
            }
            if (!Digits(text, ref i))
            {
                return false;
            }
        }
        return i == n;
    }

    private static bool Digits(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && text[i] is >= '0' and <= '9')
        {
            i++;
        }
        return i > start;
    }
}
