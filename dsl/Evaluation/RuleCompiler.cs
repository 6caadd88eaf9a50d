using BeTrace.Dsl.Errors;
using BeTrace.Dsl.Model;
using BeTrace.Dsl.Syntax;
using BeTrace.Dsl.Values;

namespace BeTrace.Dsl.Evaluation;

/// <summary>
/// Loads rules: parse and validate (<see cref="RuleParser"/>), then turn the syntax into evaluator trees
/// with every literal, pattern and enumeration name resolved, so evaluation does no parsing or lookup
/// beyond the trace's name index and the spans' attributes.
/// </summary>
public static class RuleCompiler
{
    /// <exception cref="DslException">The rule does not load.</exception>
    public static CompiledRule Compile(string text)
    {
        var syntax = RuleParser.Parse(text);
        return new CompiledRule(text, syntax, Condition(syntax.When),
            syntax.Always is null ? null : Condition(syntax.Always),
            syntax.Never is null ? null : Condition(syntax.Never));
    }

    /// <summary>Compiles, returning the error instead of throwing.</summary>
    public static bool TryCompile(string text, out CompiledRule? rule, out DslError? error)
    {
        try
        {
            rule = Compile(text);
            error = null;
            return true;
        }
        catch (DslException ex)
        {
            rule = null;
            error = ex.Error;
            return false;
        }
    }

    private static TraceCondition Condition(Syntax.Condition condition) => condition switch
    {
        SpanCheck check => new SpanMatch(check.Name.Text, check.Filters.Count switch
        {
            0 => null,
            1 => Filter(check.Filters[0]),
            _ => new AndFilter(check.Filters.Select(Filter).ToArray()),
        }),
        DirectComparison direct => new SpanMatch(direct.Name.Text,
            AttributeComparison(direct.Key, resource: false, direct.Op, direct.Right)),
        CountComparison { Right: CountValue other } count => new CountVersusCount(count.Left.Text, count.Op, other.Name.Text),
        CountComparison count => new CountMatch(count.Left.Text, count.Op, Literal.From(count.Right)),
        Syntax.NotCondition not => new NotCondition(Condition(not.Inner)),
        AndCondition and => new AllOf(and.Terms.Select(Condition).ToArray()),
        OrCondition or => new AnyOf(or.Terms.Select(Condition).ToArray()),
        GroupCondition group => Condition(group.Inner),
        _ => throw new ArgumentOutOfRangeException(nameof(condition), condition.GetType().Name, "unknown condition"),
    };

    private static SpanFilter Filter(Syntax.Filter filter) => filter switch
    {
        FilterComparison { Left: AttributeOperand attribute } comparison =>
            AttributeComparison(attribute.Key, attribute.IsResource, comparison.Op, comparison.Right),
        FilterComparison { Left: IntrinsicOperand intrinsic } comparison =>
            IntrinsicComparison(intrinsic.Intrinsic, comparison.Op, comparison.Right),
        FilterFlag flag => new FlagFilter(flag.Key.Key, flag.Key.IsResource),
        FilterNot not => new NotFilter(Filter(not.Inner)),
        FilterAnd and => new AndFilter(and.Terms.Select(Filter).ToArray()),
        FilterOr or => new OrFilter(or.Terms.Select(Filter).ToArray()),
        FilterGroup group => Filter(group.Inner),
        _ => throw new ArgumentOutOfRangeException(nameof(filter), filter.GetType().Name, "unknown filter"),
    };

    private static SpanFilter AttributeComparison(string key, bool resource, CompareOp op, Value right) =>
        new AttributeFilter(key, resource, op, LiteralFor(op, right));

    private static Literal LiteralFor(CompareOp op, Value right) =>
        op == CompareOp.Matches ? Literal.ForPattern(right) : Literal.From(right);

    private static SpanFilter IntrinsicComparison(Intrinsic intrinsic, CompareOp op, Value right)
    {
        switch (intrinsic)
        {
            case Intrinsic.Name:
                return new NameFilter(op, LiteralFor(op, right));
            case Intrinsic.Service:
                return new ServiceFilter(op, LiteralFor(op, right));
            case Intrinsic.Status:
            case Intrinsic.Kind:
                var isKind = intrinsic == Intrinsic.Kind;
                var names = right is ListValue list ? list.Items : [right];
                var allowed = names.Select(name => EnumValue(isKind, LiteralText.Of(name))).ToArray();
                return new EnumFilter(isKind, op == CompareOp.Ne, allowed);
            default:
                if (op == CompareOp.In)
                {
                    var items = ((ListValue)right).Items.Select(item => Milliseconds((NumberValue)item)).ToArray();
                    return new DurationInFilter(items);
                }
                var nanos = right is DurationValue duration ? duration.Nanos : Milliseconds((NumberValue)right);
                return new DurationFilter(op, nanos);
        }
    }

    private static ExactNanos Milliseconds(NumberValue number)
    {
        // The parser has already checked the range (V4), so this cannot fail.
        ExactNanos.TryCreate(number.Raw, ExactNanos.NanosPerMillisecond, out var nanos);
        return nanos;
    }

    /// <summary>The parser has checked the names (V9), so every name matches one of the enumeration.</summary>
    private static byte EnumValue(bool kind, string written)
    {
        var names = kind ? EnumNames.Kinds : EnumNames.Statuses;
        return (byte)names.ToList().IndexOf(EnumNames.Match(written, names)!);
    }
}
