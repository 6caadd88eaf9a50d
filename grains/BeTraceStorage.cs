namespace BeTrace.Grains;

/// <summary>Names of the grain storage providers the grains use; the silo host registers them.</summary>
public static class BeTraceStorage
{
    /// <summary>Rule registries and the tenant directory.</summary>
    public const string Rules = "rules";

    /// <summary>Live traces parked at a graceful shutdown.</summary>
    public const string Traces = "traces";
}
