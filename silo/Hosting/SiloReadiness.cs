using Orleans.Runtime;

namespace BeTrace.Silo.Hosting;

/// <summary>Ready once the silo reached the Active lifecycle stage, and not ready again once it starts stopping.</summary>
public sealed class SiloReadiness : ILifecycleParticipant<ISiloLifecycle>
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloReadiness), ServiceLifecycleStage.Active,
            _ =>
            {
                _ready = true;
                return Task.CompletedTask;
            },
            _ =>
            {
                _ready = false;
                return Task.CompletedTask;
            });
}
