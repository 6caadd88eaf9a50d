using System.Globalization;
using System.Text;

namespace BeTrace.Dsl.Syntax;

/// <summary>
/// A canonical S-expression of a rule's syntax tree: every semantic field (node kinds, names and whether
/// they were quoted, keys and how they were written, operators, literal texts and values, list items)
/// and no source positions. Two trees are equal apart from positions iff their dumps are equal.
/// </summary>
public static class AstDump
{
    public static string Structure(RuleSyntax rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var builder = new StringBuilder();
        builder.Append("(rule (when ");
        Condition(builder, rule.When);
        builder.Append(") (always ");
        Optional(builder, rule.Always);
        builder.Append(") (never ");
        Optional(builder, rule.Never);
        builder.Append("))");
        return builder.ToString();
    }

    private static void Optional(StringBuilder builder, Condition? condition)
    {
        if (condition is null)
        {
            builder.Append("nil");
        }
        else
        {
            Condition(builder, condition);
        }
    }

    private static void Condition(StringBuilder builder, Condition condition)
    {
        switch (condition)
        {
            case SpanCheck check:
                builder.Append("(span-check ");
                Name(builder, check.Name);
                builder.Append(" (filters");
                foreach (var filter in check.Filters)
                {
                    builder.Append(' ');
                    Filter(builder, filter);
                }
                builder.Append("))");
                break;
            case DirectComparison direct:
                builder.Append("(direct ");
                Name(builder, direct.Name);
                builder.Append(' ');
                Text(builder, direct.Key);
                Comparison(builder, direct.Op, direct.Right);
                builder.Append(')');
                break;
            case CountComparison count:
                builder.Append("(count ");
                Name(builder, count.Left);
                Comparison(builder, count.Op, count.Right);
                builder.Append(')');
                break;
            case NotCondition not:
                builder.Append("(not ");
                Condition(builder, not.Inner);
                builder.Append(')');
                break;
            case AndCondition and:
                List(builder, "and", and.Terms, Condition);
                break;
            case OrCondition or:
                List(builder, "or", or.Terms, Condition);
                break;
            case GroupCondition group:
                builder.Append("(group ");
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
                builder.Append("(compare ");
                Operand(builder, comparison.Left);
                Comparison(builder, comparison.Op, comparison.Right);
                builder.Append(')');
                break;
            case FilterFlag flag:
                builder.Append("(flag ");
                Operand(builder, flag.Key);
                builder.Append(')');
                break;
            case FilterNot not:
                builder.Append("(f-not ");
                Filter(builder, not.Inner);
                builder.Append(')');
                break;
            case FilterAnd and:
                List(builder, "f-and", and.Terms, Filter);
                break;
            case FilterOr or:
                List(builder, "f-or", or.Terms, Filter);
                break;
            case FilterGroup group:
                builder.Append("(f-group ");
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
                builder.Append("(attribute ");
                Text(builder, attribute.Key);
                builder.Append(' ').Append(attribute.Style.ToString());
                builder.Append(attribute.IsResource ? " resource" : " span");
                builder.Append(')');
                break;
            case IntrinsicOperand intrinsic:
                builder.Append("(intrinsic ").Append(intrinsic.Intrinsic.ToString()).Append(')');
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(operand), operand.GetType().Name, "unknown operand");
        }
    }

    private static void Comparison(StringBuilder builder, CompareOp op, Value right)
    {
        builder.Append(' ').Append(op.ToString()).Append(' ');
        Value(builder, right);
    }

    private static void Value(StringBuilder builder, Value value)
    {
        switch (value)
        {
            case StringValue s:
                builder.Append("(string ");
                Text(builder, s.Text);
                builder.Append(')');
                break;
            case IdentifierValue identifier:
                builder.Append("(identifier ");
                Text(builder, identifier.Text);
                builder.Append(')');
                break;
            case NumberValue number:
                builder.Append("(number ");
                Text(builder, number.Raw);
                builder.Append(' ').Append(number.Number.ToString("R", CultureInfo.InvariantCulture)).Append(')');
                break;
            case DurationValue duration:
                builder.Append("(duration ");
                Text(builder, duration.Raw);
                builder.Append(' ').Append(duration.Nanos.Floor.ToString(CultureInfo.InvariantCulture))
                    .Append(duration.Nanos.IsWhole ? " whole" : " fraction").Append(')');
                break;
            case BoolValue flag:
                builder.Append(flag.Flag ? "(bool true)" : "(bool false)");
                break;
            case ListValue list:
                List(builder, "list", list.Items, Value);
                break;
            case CountValue count:
                builder.Append("(count-of ");
                Name(builder, count.Name);
                builder.Append(')');
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(value), value.GetType().Name, "unknown value");
        }
    }

    private static void Name(StringBuilder builder, SpanName name)
    {
        builder.Append("(name ");
        Text(builder, name.Text);
        builder.Append(name.Quoted ? " quoted (" : " dotted (");
        for (var i = 0; i < name.Segments.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(' ');
            }
            Text(builder, name.Segments[i]);
        }
        builder.Append("))");
    }

    private static void List<T>(StringBuilder builder, string head, IReadOnlyList<T> items, Action<StringBuilder, T> write)
    {
        builder.Append('(').Append(head);
        foreach (var item in items)
        {
            builder.Append(' ');
            write(builder, item);
        }
        builder.Append(')');
    }

    /// <summary>A string in double quotes, escaped so that the dump stays unambiguous and printable.</summary>
    private static void Text(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                default:
                    if (c < 0x20 || c == 0x7F || char.IsSurrogate(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
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
