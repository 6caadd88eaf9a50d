using BeTrace.Dsl.Errors;

using BeTrace.Dsl.Values;

namespace BeTrace.Dsl.Syntax;

/// <summary>A parsed and validated rule: <c>when</c>, optional <c>always</c> and <c>never</c>.</summary>
public sealed record RuleSyntax(Condition When, Condition? Always, Condition? Never);

/// <summary>A span name as written: dotted segments, or one quoted string.</summary>
public sealed record SpanName(string Text, bool Quoted, IReadOnlyList<string> Segments, SourcePosition Position);

// ---- Conditions over the whole trace (top level) ----

public abstract record Condition(SourcePosition Position);

/// <summary><c>payment</c>, <c>"GET /x"</c> or <c>payment.where(f1).where(f2)</c>.</summary>
public sealed record SpanCheck(SpanName Name, IReadOnlyList<Filter> Filters, SourcePosition Position) : Condition(Position);

/// <summary><c>a.b.c op v</c>: spans named <c>a.b</c> whose attribute <c>c</c> compares true.</summary>
public sealed record DirectComparison(SpanName Name, string Key, CompareOp Op, Value Right, SourcePosition Position)
    : Condition(Position);

/// <summary><c>count(name) op rhs</c>.</summary>
public sealed record CountComparison(SpanName Left, CompareOp Op, Value Right, SourcePosition Position) : Condition(Position);

public sealed record NotCondition(Condition Inner, SourcePosition Position) : Condition(Position);

public sealed record AndCondition(IReadOnlyList<Condition> Terms, SourcePosition Position) : Condition(Position);

public sealed record OrCondition(IReadOnlyList<Condition> Terms, SourcePosition Position) : Condition(Position);

public sealed record GroupCondition(Condition Inner, SourcePosition Position) : Condition(Position);

// ---- Filters over one span (inside .where) ----

public abstract record Filter(SourcePosition Position);

public sealed record FilterComparison(Operand Left, CompareOp Op, Value Right, SourcePosition Position) : Filter(Position);

/// <summary><c>where(verified)</c>: true for boolean true or the text "true".</summary>
public sealed record FilterFlag(AttributeOperand Key, SourcePosition Position) : Filter(Position);

public sealed record FilterNot(Filter Inner, SourcePosition Position) : Filter(Position);

public sealed record FilterAnd(IReadOnlyList<Filter> Terms, SourcePosition Position) : Filter(Position);

public sealed record FilterOr(IReadOnlyList<Filter> Terms, SourcePosition Position) : Filter(Position);

public sealed record FilterGroup(Filter Inner, SourcePosition Position) : Filter(Position);

// ---- Operands (left side inside filters) ----

public abstract record Operand(SourcePosition Position);

/// <summary>How an attribute key was written; only printing cares.</summary>
public enum KeyStyle
{
    Identifier,
    Quoted,
    SpanPrefix,
    ResourcePrefix,
}

/// <summary>A span attribute (<c>key</c>, <c>"key"</c>, <c>span.a.b</c>) or resource attribute (<c>resource.a.b</c>).</summary>
public sealed record AttributeOperand(string Key, KeyStyle Style, SourcePosition Position) : Operand(Position)
{
    public bool IsResource => Style == KeyStyle.ResourcePrefix;
}

public enum Intrinsic
{
    Name,
    Service,
    Status,
    Kind,
    Duration,
}

public sealed record IntrinsicOperand(Intrinsic Intrinsic, SourcePosition Position) : Operand(Position);

// ---- Values (right side) ----

public abstract record Value(SourcePosition Position);

public sealed record StringValue(string Text, SourcePosition Position) : Value(Position);

/// <summary>An identifier on the right: plain text, never an attribute reference.</summary>
public sealed record IdentifierValue(string Text, SourcePosition Position) : Value(Position);

/// <summary>An integer or float literal; <see cref="Raw"/> keeps its exact decimal text.</summary>
public sealed record NumberValue(string Raw, double Number, SourcePosition Position) : Value(Position);

/// <summary>A duration literal; <see cref="Raw"/> keeps its exact text (e.g. <c>1.5s</c>).</summary>
public sealed record DurationValue(string Raw, ExactNanos Nanos, SourcePosition Position) : Value(Position);

public sealed record BoolValue(bool Flag, SourcePosition Position) : Value(Position);

public sealed record ListValue(IReadOnlyList<Value> Items, SourcePosition Position) : Value(Position);

/// <summary><c>count(name)</c> on the right of a comparison (valid only in a count check).</summary>
public sealed record CountValue(SpanName Name, SourcePosition Position) : Value(Position);
