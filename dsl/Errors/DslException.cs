namespace BeTrace.Dsl.Errors;

/// <summary>Thrown when a rule cannot be loaded; carries the single <see cref="DslError"/>.</summary>
public sealed class DslException : Exception
{
    public DslException(DslError error)
        : base(error.ToString())
    {
        Error = error;
    }

    public DslException()
        : this(new DslError(DslErrorKind.Syntax, SourcePosition.Start, "invalid rule"))
    {
    }

    public DslException(string message)
        : this(new DslError(DslErrorKind.Syntax, SourcePosition.Start, message))
    {
    }

    public DslException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new DslError(DslErrorKind.Syntax, SourcePosition.Start, message);
    }

    public DslError Error { get; }
}
