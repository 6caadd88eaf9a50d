using BeTrace.Grains.Interfaces.Violations;
using Microsoft.Extensions.Options;

namespace BeTrace.Grains.Violations;

/// <summary>
/// A tenant's most recent violations, newest first, bounded in memory. The durable record of a violation is its
/// span in the tracing backend; this log serves `betrace violations list` and lives while its activation does.
/// </summary>
public sealed class ViolationLogGrain(IOptions<ViolationLogOptions> options) : Grain, IViolationLogGrain
{
    private readonly LinkedList<ViolationRecord> _recent = new();

    public Task Record(ViolationRecord[] violations)
    {
        foreach (var violation in violations)
        {
            _recent.AddFirst(violation);
        }
        while (_recent.Count > options.Value.Capacity)
        {
            _recent.RemoveLast();
        }
        return Task.CompletedTask;
    }

    public Task<ViolationRecord[]> List(ViolationQuery query) => Task.FromResult(_recent
        .Where(v => query.RuleId is null || v.RuleId == query.RuleId)
        .Where(v => query.MinimumSeverity is null || v.Severity >= query.MinimumSeverity)
        .Where(v => query.Since is null || v.DetectedAt >= query.Since)
        .Take(Math.Clamp(query.Limit, 1, options.Value.Capacity))
        .ToArray());
}
