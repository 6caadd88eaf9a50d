using BeTrace.Grains.Interfaces.Rules;
using BeTrace.Grains.Interfaces.Violations;

namespace BeTrace.Console.Violations;

/// <summary>
/// Finds the violations a tenant's log gained since the last poll. The log has no cursor, so each poll asks for
/// everything detected since the newest one seen (less a minute of slack for silos whose clocks differ) and drops
/// what it has already returned, remembered by id and detection time.
/// </summary>
public sealed class ViolationFollower(IViolationLogGrain log, string? ruleId, Severity? minimum)
{
    private static readonly TimeSpan Slack = TimeSpan.FromMinutes(1);

    // The grain clamps the limit to its capacity: ask for everything it holds.
    private const int All = 1_000_000;

    private readonly HashSet<(string Id, DateTimeOffset At)> _seen = [];
    private DateTimeOffset? _newest;

    /// <summary>Marks the whole log as seen and returns its newest <paramref name="backlog"/> entries, oldest first.</summary>
    public async Task<IReadOnlyList<ViolationRecord>> StartAsync(int backlog)
    {
        var all = await log.List(new ViolationQuery(ruleId, minimum, null, All));
        Remember(all);
        return all.Take(backlog).Reverse().ToList();
    }

    /// <summary>The violations not returned before, oldest first.</summary>
    public async Task<IReadOnlyList<ViolationRecord>> PollAsync()
    {
        var recent = await log.List(new ViolationQuery(ruleId, minimum, _newest - Slack, All));
        var fresh = recent.Where(v => !_seen.Contains((v.ViolationId, v.DetectedAt))).OrderBy(v => v.DetectedAt).ToList();
        Remember(fresh);
        return fresh;
    }

    private void Remember(IEnumerable<ViolationRecord> violations)
    {
        foreach (var violation in violations)
        {
            _seen.Add((violation.ViolationId, violation.DetectedAt));
            if (_newest is null || violation.DetectedAt > _newest)
            {
                _newest = violation.DetectedAt;
            }
        }
        // Anything older than twice the slack can no longer come back in a poll.
        _seen.RemoveWhere(entry => entry.At < _newest - 2 * Slack);
    }
}
