namespace BeTrace.Grains.Interfaces.Spans;

/// <summary>The OTLP AnyValue kinds a span attribute can carry between grains.</summary>
public enum WireValueKind : byte
{
    Empty = 0,
    String = 1,
    Int = 2,
    Double = 3,
    Bool = 4,
    Array = 5,
}
