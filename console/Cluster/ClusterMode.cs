namespace BeTrace.Console.Cluster;

/// <summary>How the console finds the silos: the embedded default's localhost gateway, or a PostgreSQL membership table.</summary>
public enum ClusterMode
{
    Local,
    Postgres,
}
