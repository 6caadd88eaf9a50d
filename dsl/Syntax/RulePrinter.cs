using System.Text;

namespace BeTrace.Dsl.Syntax;

/// <summary>
/// Writes a rule's syntax tree back as DSL text that parses to the same tree (positions aside).
/// The output is canonical: one space around operators and keywords, blocks on one line, lists as
/// <c>[a, "b", 1]</c>, numbers and durations in the exact text they were written with.
/// </summary>
/// <remarks>
/// The printer trusts the tree's shape to be one the parser can produce (a <c>not</c> directly over a
/// primary, <c>and</c> terms that are not themselves <c>and</c>/<c>or</c>, and so on): it adds no
/// parentheses of its own, since a <see cref="GroupCondition"/> or <see cref="FilterGroup"/> records them.
/// Strings are written between double quotes without escaping, as the language has no escapes and a
/// parsed string never contains a double quote.
/// </remarks>
public static class RulePrinter
{
    public static string Print(RuleSyntax rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var builder = new StringBuilder();
        builder.Append("when { ");
        Condition(builder, rule.When);
        builder.Append(" }");
        if (rule.Always is not null)
        {
            builder.Append(" always { ");
            Condition(builder, rule.Always);
            builder.Append(" }");
        }
        if (rule.Never is not null)
        {
            builder.Append(" never { ");
            Condition(builder, rule.Never);
            builder.Append(" }");
        }
        return builder.ToString();
    }

    /// <summary>A span name as written: quoted, or its segments joined with dots.</summary>
    public static string SpanName(SpanName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Quoted ? Quote(name.Text) : string.Join('.', name.Segments);
    }

    /// <summary>A right-hand value as written.</summary>
    public static string Value(Value value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder();
        Value(builder, value);
        return builder.ToString();
    }

    private static void Condition(StringBuilder builder, Condition condition)
    {
        switch (condition)
        {
            case SpanCheck check:
                builder.Append(SpanName(check.Name));
                foreach (var filter in check.Filters)
                {
                    builder.Append(".where(");
                    Filter(builder, filter);
                    builder.Append(')');
                }
                break;
            case DirectComparison direct:
                builder.Append(SpanName(direct.Name)).Append('.').Append(direct.Key);
                Comparison(builder, direct.Op, direct.Right);
                break;
            case CountComparison count:
                builder.Append("count(").Append(SpanName(count.Left)).Append(')');
                Comparison(builder, count.Op, count.Right);
                break;
            case NotCondition not:
                builder.Append("not ");
                Condition(builder, not.Inner);
                break;
            case AndCondition and:
                Join(builder, and.Terms, " and ", Condition);
                break;
            case OrCondition or:
                Join(builder, or.Terms, " or ", Condition);
                break;
            case GroupCondition group:
                builder.Append('(');
                Condition(builder, group.Inner);
                builder.Append(')');
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(condition), condition.GetType().Name, "unknown condition");
        }
    }

    private static void Filter(StringBuilder builder, Filter filter)
    {
        switch (filter)
        {
            case FilterComparison comparison:
                Operand(builder, comparison.Left);
                Comparison(builder, comparison.Op, comparison.Right);
                break;
            case FilterFlag flag:
                Operand(builder, flag.Key);
                break;
            case FilterNot not:
                builder.Append("not ");
                Filter(builder, not.Inner);
                break;
            case FilterAnd and:
                Join(builder, and.Terms, " and ", Filter);
                break;
            case FilterOr or:
                Join(builder, or.Terms, " or ", Filter);
                break;
            case FilterGroup group:
                builder.Append('(');
                Filter(builder, group.Inner);
                builder.Append(')');
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(filter), filter.GetType().Name, "unknown filter");
        }
    }

    private static void Operand(StringBuilder builder, Operand operand)
    {
        switch (operand)
        {
            case AttributeOperand attribute:
                builder.Append(attribute.Style switch
                {
                    KeyStyle.Identifier => attribute.Key,
                    KeyStyle.Quoted => Quote(attribute.Key),
                    KeyStyle.SpanPrefix => "span." + attribute.Key,
                    KeyStyle.ResourcePrefix => "resource." + attribute.Key,
                    _ => throw new ArgumentOutOfRangeException(nameof(operand), attribute.Style, "unknown key style"),
                });
                break;
            case IntrinsicOperand intrinsic:
                builder.Append(intrinsic.Intrinsic switch
                {
                    Intrinsic.Name => "span:name",
                    Intrinsic.Service => "span:service",
                    Intrinsic.Status => "span:status",
                    Intrinsic.Kind => "span:kind",
                    Intrinsic.Duration => "span:duration",
                    _ => throw new ArgumentOutOfRangeException(nameof(operand), intrinsic.Intrinsic, "unknown intrinsic"),
                });
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(operand), operand.GetType().Name, "unknown operand");
        }
    }

    private static void Comparison(StringBuilder builder, CompareOp op, Value right)
    {
        builder.Append(' ').Append(op.ToText()).Append(' ');
        Value(builder, right);
    }

    private static void Value(StringBuilder builder, Value value)
    {
        switch (value)
        {
            case StringValue s:
                builder.Append(Quote(s.Text));
                break;
            case IdentifierValue identifier:
                builder.Append(identifier.Text);
                break;
            case NumberValue number:
                builder.Append(number.Raw);
                break;
            case DurationValue duration:
                builder.Append(duration.Raw);
                break;
            case BoolValue flag:
                builder.Append(flag.Flag ? "true" : "false");
                break;
            case ListValue list:
                builder.Append('[');
                Join(builder, list.Items, ", ", Value);
                builder.Append(']');
                break;
            case CountValue count:
                builder.Append("count(").Append(SpanName(count.Name)).Append(')');
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(value), value.GetType().Name, "unknown value");
        }
    }

    private static void Join<T>(StringBuilder builder, IReadOnlyList<T> items, string separator, Action<StringBuilder, T> write)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(separator);
            }
            write(builder, items[i]);
        }
    }

    private static string Quote(string text) => "\"" + text + "\"";
}
