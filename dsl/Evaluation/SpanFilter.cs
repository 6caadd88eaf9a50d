using BeTrace.Dsl.Model;
using BeTrace.Dsl.Syntax;
using BeTrace.Dsl.Values;

namespace BeTrace.Dsl.Evaluation;

/// <summary>A compiled <c>where(...)</c> filter: a test of one span.</summary>
internal abstract class SpanFilter
{
    public abstract bool Test(Span span);
}

internal sealed class AttributeFilter(string key, bool resource, CompareOp op, Literal right) : SpanFilter
{
    public override bool Test(Span span)
    {
        var value = resource ? span.Resource.Attributes.Get(key) : span.Attributes.Get(key);
        return value is not null && Comparison.Holds(op, value, right);
    }
}

internal sealed class FlagFilter(string key, bool resource) : SpanFilter
{
    public override bool Test(Span span)
    {
        var value = resource ? span.Resource.Attributes.Get(key) : span.Attributes.Get(key);
        return value is not null && value.IsTrueFlag;
    }
}

internal sealed class NameFilter(CompareOp op, Literal right) : SpanFilter
{
    public override bool Test(Span span) => Comparison.Holds(op, span.NameValue, right);
}

internal sealed class ServiceFilter(CompareOp op, Literal right) : SpanFilter
{
    public override bool Test(Span span) =>
        span.Resource.ServiceName is { } service && Comparison.Holds(op, service, right);
}

/// <summary><c>span:status</c> or <c>span:kind</c>: the allowed values were resolved at load time.</summary>
internal sealed class EnumFilter(bool kind, bool negate, byte[] allowed) : SpanFilter
{
    public override bool Test(Span span)
    {
        var actual = kind ? (byte)span.Kind : (byte)span.Status;
        return Array.IndexOf(allowed, actual) >= 0 != negate;
    }
}

internal sealed class DurationFilter(CompareOp op, ExactNanos right) : SpanFilter
{
    public override bool Test(Span span) => right.Compare(span.DurationNanos, op);
}

internal sealed class DurationInFilter(ExactNanos[] items) : SpanFilter
{
    public override bool Test(Span span)
    {
        foreach (var item in items)
        {
            if (item.Compare(span.DurationNanos, CompareOp.Eq))
            {
                return true;
            }
        }
        return false;
    }
}

internal sealed class NotFilter(SpanFilter inner) : SpanFilter
{
    public override bool Test(Span span) => !inner.Test(span);
}

internal sealed class AndFilter(SpanFilter[] terms) : SpanFilter
{
    public override bool Test(Span span)
    {
        foreach (var term in terms)
        {
            if (!term.Test(span))
            {
                return false;
            }
        }
        return true;
    }
}

internal sealed class OrFilter(SpanFilter[] terms) : SpanFilter
{
    public override bool Test(Span span)
    {
        foreach (var term in terms)
        {
            if (term.Test(span))
            {
                return true;
            }
        }
        return false;
    }
}
