namespace BeTrace.Dsl.Model;

/// <summary>Span status, numbered as OTLP's StatusCode.</summary>
public enum SpanStatus : byte
{
    Unset = 0,
    Ok = 1,
    Error = 2,
}
