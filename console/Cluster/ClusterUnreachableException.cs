namespace BeTrace.Console.Cluster;

/// <summary>The cluster cannot be reached, or stopped answering; reported with <see cref="ExitCodes.Unreachable"/>.</summary>
public sealed class ClusterUnreachableException : Exception
{
    public ClusterUnreachableException()
    {
    }

    public ClusterUnreachableException(string message)
        : base(message)
    {
    }

    public ClusterUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
