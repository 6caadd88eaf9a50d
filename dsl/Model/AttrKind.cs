namespace BeTrace.Dsl.Model;

/// <summary>The OTLP AnyValue kinds the language reads; <see cref="Null"/> only occurs inside arrays.</summary>
public enum AttrKind : byte
{
    String,
    Int,
    Double,
    Bool,
    Array,
    Null,
}
