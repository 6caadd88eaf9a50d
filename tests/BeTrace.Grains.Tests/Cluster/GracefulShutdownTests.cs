using BeTrace.Grains.Catalog;
using BeTrace.Grains.Hosting;
using BeTrace.Grains.Interfaces.Rules;
using BeTrace.Grains.Traces;
using BeTrace.Grains.Violations;
using BeTrace.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace BeTrace.Grains.Tests.Cluster;

/// <summary>
/// A graceful silo shutdown loses no live trace: the trace grain parks its spans in the embedded SQLite storage,
/// and the activation that takes the rest of the trace on another silo resumes with every span.
/// </summary>
public sealed class GracefulShutdownTests : ClusterTestBase, IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly CapturingViolationSink _sink = new();
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("betrace-shutdown-").FullName;
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var storage = new StorageOptions { DataDirectory = _dataDirectory };
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureHost(host =>
        {
            host.Services.AddSingleton<TimeProvider>(_clock);
            host.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
        });
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseBeTraceSqliteStorage(storage);
            silo.Services.AddSingleton<IViolationSink>(_sink);
            silo.AddBeTraceGrains();
            silo.Services.Configure<RuleCatalogOptions>(o => o.PollInterval = TimeSpan.FromSeconds(10));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task A_trace_split_by_a_graceful_shutdown_is_evaluated_whole_on_another_silo()
    {
        const string tenant = "shutdown";
        var registry = _cluster.Client.GetGrain<IRuleRegistryGrain>(tenant);
        Assert.True((await registry.Create(Rule("checkout-pays", "when { checkout } always { payment }"))).Succeeded);
        Assert.True((await registry.Create(Rule("whole-trace", "when { count(step) == 2 and checkout and payment }"))).Succeeded);

        // Find a trace whose grain lives on a silo we may stop (not the primary).
        var victim = _cluster.Silos[1];
        string? traceId = null;
        for (var attempt = 0; attempt < 200 && traceId is null; attempt++)
        {
            var candidate = NewTraceId();
            var grain = Trace(_cluster.Client, tenant, candidate);
            await grain.Append(Batch(Span(1, "checkout"), Span(2, "step", 1)));
            if ((await grain.Describe()).Silo == victim.SiloAddress.ToString())
            {
                traceId = candidate;
            }
        }
        Assert.NotNull(traceId);

        await _cluster.StopSiloAsync(victim);

        var trace = Trace(_cluster.Client, tenant, traceId);
        await trace.Append(Batch(Span(3, "payment", 1), Span(4, "step", 1)));
        var resumed = await trace.Describe();
        Assert.NotEqual(victim.SiloAddress.ToString(), resumed.Silo);
        Assert.Equal(4, resumed.Spans);

        _clock.Advance(TimeSpan.FromSeconds(6));
        await WaitUntil(() => _sink.ForTrace(traceId).Count == 1, "the evaluation of the whole trace");
        await Task.Delay(200);
        var violation = Assert.Single(_sink.ForTrace(traceId));
        Assert.Equal("whole-trace", violation.RuleId);
        Assert.True(violation.TraceComplete);
    }

    [Fact]
    public async Task A_complete_trace_parked_at_a_shutdown_is_resumed_and_evaluated_without_a_further_span()
    {
        const string tenant = "shutdown-complete";
        var registry = _cluster.Client.GetGrain<IRuleRegistryGrain>(tenant);
        Assert.True((await registry.Create(Rule("checkout-pays", "when { checkout } always { payment }"))).Succeeded);

        var victim = _cluster.Silos[1];
        string? traceId = null;
        for (var attempt = 0; attempt < 200 && traceId is null; attempt++)
        {
            var candidate = NewTraceId();
            var grain = Trace(_cluster.Client, tenant, candidate);
            await grain.Append(Batch(Span(1, "checkout")));
            if ((await grain.Describe()).Silo == victim.SiloAddress.ToString())
            {
                traceId = candidate;
            }
        }
        Assert.NotNull(traceId);

        await _cluster.StopSiloAsync(victim);

        // No span of that trace arrives any more: another silo must pick it up from the parked-trace index.
        var resumeInterval = new TraceOptions().ParkedTraceResumeInterval;
        for (var step = 0; step < 10 && _sink.ForTrace(traceId).Count == 0; step++)
        {
            _clock.Advance(resumeInterval);
            await Task.Delay(300);
        }
        await WaitUntil(() => _sink.ForTrace(traceId).Count == 1, "the parked trace to be resumed and evaluated");
        Assert.Equal("checkout-pays", Assert.Single(_sink.ForTrace(traceId)).RuleId);
    }
}
