namespace BeTrace.Gateway.Export;

/// <summary>A refused export: the kind decides the status code, the message says what was wrong.</summary>
public sealed record ExportError(ExportErrorKind Kind, string Message)
{
    /// <summary>Whether the client should retry the request (after the suggested delay).</summary>
    public bool Retryable => Kind is ExportErrorKind.Overloaded or ExportErrorKind.Unavailable;
}
