namespace BeTrace.Gateway.Receivers;

/// <summary>The two OTLP/HTTP encodings; a response uses the encoding of its request.</summary>
public enum OtlpHttpFormat
{
    Protobuf,
    Json,
}
