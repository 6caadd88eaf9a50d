using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace BeTrace.Gateway.Tests.Support;

/// <summary>A one-silo in-process Orleans cluster whose trace grains are <see cref="FakeTraceGrain"/>s.</summary>
public sealed class GatewayClusterFixture : IAsyncLifetime
{
    public TraceGrainRecorder Recorder { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) => silo.Services.AddSingleton(Recorder));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class GatewayClusterCollection : ICollectionFixture<GatewayClusterFixture>
{
    public const string Name = "gateway cluster";
}
