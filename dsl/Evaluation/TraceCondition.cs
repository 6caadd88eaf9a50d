using BeTrace.Dsl.Model;
using BeTrace.Dsl.Syntax;

namespace BeTrace.Dsl.Evaluation;

/// <summary>
/// A compiled condition over a whole trace. <see cref="Eval"/> returns <see cref="False"/>,
/// <see cref="TrueWithoutWitness"/>, or the position of the witness span (dsl.md 8.10).
/// </summary>
internal abstract class TraceCondition
{
    public const int False = -1;
    public const int TrueWithoutWitness = -2;

    public abstract int Eval(TraceView trace);
}

/// <summary>A span check or where chain: the first span, in trace order, with the name that passes the filter.</summary>
internal sealed class SpanMatch(string name, SpanFilter? filter) : TraceCondition
{
    public override int Eval(TraceView trace)
    {
        var positions = trace.Named(name);
        if (filter is null)
        {
            return positions.Length > 0 ? positions[0] : False;
        }
        var spans = trace.Spans;
        foreach (var position in positions)
        {
            if (filter.Test(spans[position]))
            {
                return position;
            }
        }
        return False;
    }
}

internal sealed class CountMatch(string name, CompareOp op, Literal right) : TraceCondition
{
    public override int Eval(TraceView trace) =>
        Comparison.HoldsForNumber(op, trace.Named(name).Length, right) ? TrueWithoutWitness : False;
}

internal sealed class CountVersusCount(string left, CompareOp op, string right) : TraceCondition
{
    public override int Eval(TraceView trace) =>
        Comparison.OrderNumbers(op, trace.Named(left).Length, trace.Named(right).Length) ? TrueWithoutWitness : False;
}

internal sealed class NotCondition(TraceCondition inner) : TraceCondition
{
    public override int Eval(TraceView trace) => inner.Eval(trace) == False ? TrueWithoutWitness : False;
}

/// <summary>All terms hold; the witness is the first witness among the terms.</summary>
internal sealed class AllOf(TraceCondition[] terms) : TraceCondition
{
    public override int Eval(TraceView trace)
    {
        var witness = TrueWithoutWitness;
        foreach (var term in terms)
        {
            var result = term.Eval(trace);
            if (result == False)
            {
                return False;
            }
            if (witness == TrueWithoutWitness)
            {
                witness = result;
            }
        }
        return witness;
    }
}

/// <summary>Some term holds; the witness is that of the first true term.</summary>
internal sealed class AnyOf(TraceCondition[] terms) : TraceCondition
{
    public override int Eval(TraceView trace)
    {
        foreach (var term in terms)
        {
            var result = term.Eval(trace);
            if (result != False)
            {
                return result;
            }
        }
        return False;
    }
}
