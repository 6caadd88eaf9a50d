using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace BeTrace.Console.Cluster;

/// <summary>
/// An Orleans client connected to the BeTrace cluster for the length of one command. It fails fast: Orleans'
/// default retries a missing gateway for about three minutes, which reads as a hang at a terminal, so the retry
/// filter says no and the whole start is bounded by <see cref="ConnectionSettings.ConnectTimeout"/>.
/// </summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(3);
    private readonly IHost _host;

    private ClusterConnection(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    /// <exception cref="ClusterUnreachableException">No gateway answered within the timeout.</exception>
    public static async Task<ClusterConnection> ConnectAsync(ConnectionSettings settings, CancellationToken cancellation)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client => Configure(client, settings));
        var host = builder.Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(settings.ConnectTimeout);
        try
        {
            // WaitAsync bounds the start even if a provider (e.g. a database query) ignores the token.
            await host.StartAsync(timeout.Token).WaitAsync(settings.ConnectTimeout + TimeSpan.FromSeconds(1), cancellation);
            return new ClusterConnection(host);
        }
        catch (Exception ex) when (!cancellation.IsCancellationRequested)
        {
            host.Dispose();
            var reason = ex is OperationCanceledException or TimeoutException
                ? $"no answer within {settings.ConnectTimeout.TotalSeconds:0.#} s"
                : Innermost(ex).Message;
            throw new ClusterUnreachableException($"cannot reach {settings.Describe()}: {reason}\n  {settings.Hint()}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or OrleansException or TimeoutException)
        {
            // Leaving anyway: the gateway drops a client that goes away.
        }
        _host.Dispose();
    }

    private static void Configure(IClientBuilder client, ConnectionSettings settings)
    {
        if (settings.Mode == ClusterMode.Local)
        {
            client.UseLocalhostClustering(settings.GatewayPort, settings.ServiceId, settings.ClusterId);
        }
        else
        {
            client.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = settings.ClusterId;
                cluster.ServiceId = settings.ServiceId;
            });
            // The silo's PostgresClientBuilderExtensions does the same; the console does not reference the silo host.
            client.UseAdoNetClustering(clustering =>
            {
                clustering.Invariant = "Npgsql";
                clustering.ConnectionString = settings.ConnectionString;
            });
        }
        client.UseConnectionRetryFilter((_, _) => Task.FromResult(false));
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex is AggregateException { InnerException: { } inner })
        {
            ex = inner;
        }
        return ex;
    }
}
