using System.Collections.Concurrent;
using BeTrace.Grains.Interfaces.Violations;
using BeTrace.Grains.Violations;

namespace BeTrace.Grains.Tests.Cluster;

/// <summary>Collects every published violation, from every silo of the test cluster.</summary>
public sealed class CapturingViolationSink : IViolationSink
{
    private readonly ConcurrentQueue<ViolationRecord> _published = new();

    public IReadOnlyList<ViolationRecord> Published => [.. _published];

    public IReadOnlyList<ViolationRecord> ForTrace(string traceIdHex) =>
        _published.Where(v => v.TraceId == traceIdHex).ToList();

    public Task Publish(IReadOnlyList<ViolationRecord> violations)
    {
        foreach (var violation in violations)
        {
            _published.Enqueue(violation);
        }
        return Task.CompletedTask;
    }
}
