namespace BeTrace.Dsl.Syntax;

/// <summary>Comparison operators (dsl.md section 4.1, compare_op).</summary>
public enum CompareOp
{
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Matches,
    Contains,
}

public static class CompareOps
{
    public static bool TryFromToken(string text, out CompareOp op)
    {
        op = text switch
        {
            "==" => CompareOp.Eq,
            "!=" => CompareOp.Ne,
            "<" => CompareOp.Lt,
            "<=" => CompareOp.Le,
            ">" => CompareOp.Gt,
            ">=" => CompareOp.Ge,
            "in" => CompareOp.In,
            "matches" => CompareOp.Matches,
            "contains" => CompareOp.Contains,
            _ => (CompareOp)(-1),
        };
        return (int)op >= 0;
    }

    /// <summary>The six operators a count check takes.</summary>
    public static bool IsOrdering(this CompareOp op) => op is >= CompareOp.Eq and <= CompareOp.Ge;

    public static string ToText(this CompareOp op) => op switch
    {
        CompareOp.Eq => "==",
        CompareOp.Ne => "!=",
        CompareOp.Lt => "<",
        CompareOp.Le => "<=",
        CompareOp.Gt => ">",
        CompareOp.Ge => ">=",
        CompareOp.In => "in",
        CompareOp.Matches => "matches",
        CompareOp.Contains => "contains",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };
}
