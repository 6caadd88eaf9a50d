namespace BeTrace.Grains.Violations;

public sealed class ViolationLogOptions
{
    public const string Section = "BeTrace:ViolationLog";

    /// <summary>How many recent violations each tenant's log keeps.</summary>
    public int Capacity { get; set; } = 1000;
}
