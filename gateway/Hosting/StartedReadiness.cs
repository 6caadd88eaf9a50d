using Microsoft.Extensions.Hosting;

namespace BeTrace.Gateway.Hosting;

/// <summary>
/// Ready between "the host started" (the Orleans client connected, since it starts before the web server) and
/// "the host is stopping".
/// </summary>
public sealed class StartedReadiness
{
    private volatile bool _ready;

    public StartedReadiness(IHostApplicationLifetime lifetime)
    {
        lifetime.ApplicationStarted.Register(() => _ready = true);
        lifetime.ApplicationStopping.Register(() => _ready = false);
    }

    public bool IsReady => _ready;
}
