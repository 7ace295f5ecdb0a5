namespace Conformance.Engine.Running;

/// <summary>
/// In a run on a cluster the suite controls, a @cluster-control scenario (it stops nodes or the broker) runs alone:
/// it waits for the scenarios in flight to end and holds back new ones (shared/exclusive, the exclusive side first).
/// Waits are bounded by the caller's deadline.
/// </summary>
public sealed class ClusterControlGate
{
    private readonly SemaphoreSlim _entry = new(1, 1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _shared;

    /// <summary>Enters for an ordinary scenario; dispose the result when the scenario has ended.</summary>
    public async Task<IDisposable> EnterSharedAsync(TimeSpan timeout, CancellationToken cancellation)
    {
        await Wait(_entry, timeout, cancellation).ConfigureAwait(false);
        try
        {
            if (Interlocked.Increment(ref _shared) == 1)
            {
                try { await Wait(_gate, timeout, cancellation).ConfigureAwait(false); }
                catch { Interlocked.Decrement(ref _shared); throw; }
            }
        }
        finally { _entry.Release(); }
        return new Exit(() => { if (Interlocked.Decrement(ref _shared) == 0) _gate.Release(); });
    }

    /// <summary>Enters alone (a @cluster-control scenario).</summary>
    public async Task<IDisposable> EnterExclusiveAsync(TimeSpan timeout, CancellationToken cancellation)
    {
        await Wait(_entry, timeout, cancellation).ConfigureAwait(false);
        try { await Wait(_gate, timeout, cancellation).ConfigureAwait(false); }
        finally { _entry.Release(); }
        return new Exit(() => _gate.Release());
    }

    private static async Task Wait(SemaphoreSlim semaphore, TimeSpan timeout, CancellationToken cancellation)
    {
        if (!await semaphore.WaitAsync(timeout, cancellation).ConfigureAwait(false))
            throw new TimeoutException($"waited {timeout.TotalSeconds:0} s for the cluster's other scenarios to end (a @cluster-control scenario runs alone)");
    }

    private sealed class Exit(Action release) : IDisposable
    {
        private int _done;
        public void Dispose() { if (Interlocked.Exchange(ref _done, 1) == 0) release(); }
    }
}
