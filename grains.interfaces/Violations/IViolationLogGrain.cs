namespace BeTrace.Grains.Interfaces.Violations;

/// <summary>A bounded log of one tenant's most recent violations (key: the tenant), newest first.</summary>
[Alias("betrace.IViolationLogGrain")]
public interface IViolationLogGrain : IGrainWithStringKey
{
    [Alias("Record")]
    Task Record(ViolationRecord[] violations);

    [Alias("List")]
    Task<ViolationRecord[]> List(ViolationQuery query);
}
