namespace BeTrace.Console;

/// <summary>Input the command cannot use; reported as one line on stderr with <see cref="ExitCodes.BadInput"/>.</summary>
public sealed class CliInputException : Exception
{
    public CliInputException()
    {
    }

    public CliInputException(string message)
        : base(message)
    {
    }

    public CliInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
