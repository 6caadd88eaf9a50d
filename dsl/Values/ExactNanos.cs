using System.Numerics;

namespace BeTrace.Dsl.Values;

/// <summary>
/// A non-negative duration literal kept exactly, as the whole nanoseconds below it and whether it is whole
/// (dsl.md 8.8). Comparing a span duration D (whole ns) with it needs no floating point:
/// D == V iff V is whole and D == floor; D &lt; V iff D &lt; ceiling; D &lt;= V iff D &lt;= floor.
/// </summary>
public readonly record struct ExactNanos(long Floor, bool IsWhole)
{
    public const long NanosPerMillisecond = 1_000_000;

    public long Ceiling => IsWhole ? Floor : Floor + 1;

    /// <summary>
    /// Reads <paramref name="decimalText"/> (digits, optionally '.' and digits) times <paramref name="unitNanos"/>.
    /// Fails when the exact value exceeds <see cref="long.MaxValue"/> nanoseconds (rule V4).
    /// </summary>
    public static bool TryCreate(string decimalText, long unitNanos, out ExactNanos value)
    {
        var dot = decimalText.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? decimalText : string.Concat(decimalText.AsSpan(0, dot), decimalText.AsSpan(dot + 1));
        var scaleDigits = dot < 0 ? 0 : decimalText.Length - dot - 1;
        var numerator = BigInteger.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) * unitNanos;
        var denominator = BigInteger.Pow(10, scaleDigits);
        var floor = BigInteger.DivRem(numerator, denominator, out var remainder);
        // Exceeds the limit when N*u/10^k > MaxValue, i.e. floor > MaxValue or floor == MaxValue with a remainder.
        if (floor > long.MaxValue || (floor == long.MaxValue && !remainder.IsZero))
        {
            value = default;
            return false;
        }
        value = new ExactNanos((long)floor, remainder.IsZero);
        return true;
    }

    /// <summary>The nanoseconds in one unit of a duration literal (<c>ns</c> … <c>h</c>).</summary>
    public static long UnitNanos(string unit) => unit switch
    {
        "ns" => 1,
        "us" => 1_000,
        "ms" => NanosPerMillisecond,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "not a duration unit"),
    };

    /// <summary>Splits a duration token such as <c>1.5ms</c> into its number and unit.</summary>
    public static (string Number, string Unit) SplitDuration(string token)
    {
        var unitStart = token.Length;
        while (unitStart > 0 && AsciiLetter(token[unitStart - 1]))
        {
            unitStart--;
        }
        return (token[..unitStart], token[unitStart..]);
    }

    public bool Compare(long durationNanos, Syntax.CompareOp op) => op switch
    {
        Syntax.CompareOp.Eq => IsWhole && durationNanos == Floor,
        Syntax.CompareOp.Ne => !(IsWhole && durationNanos == Floor),
        Syntax.CompareOp.Lt => durationNanos < Ceiling,
        Syntax.CompareOp.Le => durationNanos <= Floor,
        Syntax.CompareOp.Gt => durationNanos > Floor,
        Syntax.CompareOp.Ge => durationNanos >= Ceiling,
        _ => false,
    };

    private static bool AsciiLetter(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z');
}
