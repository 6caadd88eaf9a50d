namespace BeTrace.Dsl.Traces;

/// <summary>A trace document that cannot be read; the message says what is wrong and where.</summary>
public sealed class TraceFormatException : Exception
{
    public TraceFormatException()
    {
    }

    public TraceFormatException(string message)
        : base(message)
    {
    }

    public TraceFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
