using BeTrace.Dsl.Model;
using BeTrace.Dsl.Syntax;
using BeTrace.Dsl.Values;

namespace BeTrace.Dsl.Evaluation;

/// <summary>The operator rules of dsl.md 8.7 for a present left value.</summary>
internal static class Comparison
{
    public static bool Holds(CompareOp op, AttrValue left, Literal right) => op switch
    {
        CompareOp.Eq => AreEqual(left, right),
        CompareOp.Ne => !AreEqual(left, right),
        CompareOp.In => IsIn(left, right),
        CompareOp.Contains => left.Text.Contains(right.Text, StringComparison.Ordinal),
        CompareOp.Matches => right.Pattern!.IsMatch(left.Text),
        _ => Orders(op, left, right),
    };

    /// <summary>A count on the left: a number, never text (dsl.md 8.6).</summary>
    public static bool HoldsForNumber(CompareOp op, double left, Literal right)
    {
        if (op == CompareOp.Ne)
        {
            return !HoldsForNumber(CompareOp.Eq, left, right);
        }
        // A count's text is digits, which no non-numeric literal's text equals, so only numbers can match.
        return right.IsNumeric && OrderNumbers(op, left, right.Number);
    }

    public static bool OrderNumbers(CompareOp op, double left, double right) => op switch
    {
        CompareOp.Eq => left == right,
        CompareOp.Ne => left != right,
        CompareOp.Lt => left < right,
        CompareOp.Le => left <= right,
        CompareOp.Gt => left > right,
        CompareOp.Ge => left >= right,
        _ => false,
    };

    private static bool AreEqual(AttrValue left, Literal right) =>
        left.IsNumeric && right.IsNumeric
            ? left.Number == right.Number
            : string.Equals(left.Text, right.Text, StringComparison.Ordinal);

    private static bool IsIn(AttrValue left, Literal right)
    {
        if (right.Items is not { } items)
        {
            return false;
        }
        foreach (var item in items)
        {
            if (AreEqual(left, item))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Orders(CompareOp op, AttrValue left, Literal right)
    {
        if (left.IsNumeric && right.IsNumeric)
        {
            return OrderNumbers(op, left.Number, right.Number);
        }
        if (left.IsText && right.IsText && !left.IsNumeric && !right.IsNumeric)
        {
            var order = TextOrder.Compare(left.Text, right.Text);
            return op switch
            {
                CompareOp.Lt => order < 0,
                CompareOp.Le => order <= 0,
                CompareOp.Gt => order > 0,
                _ => order >= 0,
            };
        }
        return false;
    }
}
