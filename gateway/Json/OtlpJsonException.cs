namespace BeTrace.Gateway.Json;

/// <summary>An OTLP/JSON body that cannot be read: malformed JSON or a field of the wrong type, with its position.</summary>
public sealed class OtlpJsonException : Exception
{
    public OtlpJsonException()
    {
    }

    public OtlpJsonException(string message)
        : base(message)
    {
    }

    public OtlpJsonException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
