using BeTrace.Grains.Catalog;
using BeTrace.Grains.Hosting;
using BeTrace.Grains.Traces;
using BeTrace.Grains.Violations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace BeTrace.Grains.Tests.Cluster;

/// <summary>
/// A 3-silo in-process cluster shared by one test collection. Grain time (trace timers, catalog polls) comes from
/// one <see cref="FakeTimeProvider"/>; Orleans' own background work (membership, timeouts) keeps real time.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const int MaxSpans = 50;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    public CapturingViolationSink Sink { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public static TraceOptions TraceOptions { get; } = new()
    {
        IdleTimeout = TimeSpan.FromSeconds(5),
        MaxTraceAge = TimeSpan.FromSeconds(60),
        LateSpanGrace = TimeSpan.FromSeconds(30),
        MaxSpans = MaxSpans,
    };

    public static TimeSpan PollInterval { get; } = TimeSpan.FromSeconds(10);

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureHost(host =>
        {
            host.Services.AddSingleton<TimeProvider>(Clock);
            host.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
        });
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(BeTraceStorage.Rules);
            silo.AddMemoryGrainStorage(BeTraceStorage.Traces);
            silo.Services.AddSingleton<IViolationSink>(Sink);
            silo.AddBeTraceGrains();
            silo.Services.Configure<TraceOptions>(o =>
            {
                o.IdleTimeout = TraceOptions.IdleTimeout;
                o.MaxTraceAge = TraceOptions.MaxTraceAge;
                o.LateSpanGrace = TraceOptions.LateSpanGrace;
                o.MaxSpans = TraceOptions.MaxSpans;
            });
            silo.Services.Configure<RuleCatalogOptions>(o => o.PollInterval = PollInterval);
            silo.Services.Configure<ViolationExportOptions>(o => o.SigningKey = "test-signing-key");
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>The rule catalog of every running silo.</summary>
    public IReadOnlyList<RuleCatalog> Catalogs() =>
        Cluster.Silos.Select(silo => silo.SiloHost.Services.GetRequiredService<RuleCatalog>()).ToList();
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
