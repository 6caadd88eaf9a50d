namespace BeTrace.Dsl.Model;

/// <summary>Span kind, numbered as OTLP's SpanKind.</summary>
public enum SpanKind : byte
{
    Unspecified = 0,
    Internal = 1,
    Server = 2,
    Client = 3,
    Producer = 4,
    Consumer = 5,
}
