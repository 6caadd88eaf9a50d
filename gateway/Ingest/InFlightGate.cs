using BeTrace.Gateway.Metrics;
using Microsoft.Extensions.Options;

namespace BeTrace.Gateway.Ingest;

/// <summary>
/// The bound on concurrent trace grain calls of this gateway, shared by all requests (MaxInFlightGroups). A slot is
/// held from the start of a grain call until the call really ends, even if the gateway stopped waiting for it.
/// Not disposable on purpose: a call still running at shutdown may release its slot late (the semaphore has no wait
/// handle to free).
/// </summary>
public sealed class InFlightGate
{
    private readonly SemaphoreSlim _slots;
    private readonly GatewayMetrics _metrics;

    public InFlightGate(IOptions<GatewayOptions> options, GatewayMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        Capacity = options.Value.MaxInFlightGroups;
        _slots = new SemaphoreSlim(Capacity, Capacity);
        _metrics = metrics;
    }

    public int Capacity { get; }

    /// <summary>Slots free now.</summary>
    public int Available => _slots.CurrentCount;

    /// <summary>Takes a slot, waiting at most <paramref name="timeout"/>; false when none became free (overload).</summary>
    public async Task<bool> TryEnterAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!await _slots.WaitAsync(timeout, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        _metrics.InFlight(1);
        return true;
    }

    public void Exit()
    {
        _metrics.InFlight(-1);
        _slots.Release();
    }
}
