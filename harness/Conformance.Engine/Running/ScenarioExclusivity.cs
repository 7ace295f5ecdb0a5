namespace Conformance.Engine.Running;

/// <summary>
/// Scenarios tagged @exclusive (the hostile-input catalogue's floods and oversized inputs, spec RB-030…) run alone:
/// a burst of tens of thousands of frames keeps a single-threaded server (the official Node server) busy for a second
/// or more, and sockets of scenarios running beside it would then miss their ping timeout for reasons of their own
/// test's making. A writer-preferring reader/writer gate: ordinary scenarios share it, an exclusive one waits for them
/// to finish while new ones queue behind it. @cluster-control scenarios (they stop nodes or the broker, CL-008) use
/// the same gate: nothing else may run while the cluster is taken apart. One gate per session (ConformanceSession):
/// what an exclusive scenario protects is its own server; another session's scenarios run against another server.
/// </summary>
public sealed class ScenarioExclusivity
{
    public const string Tag = "exclusive";

    /// <summary>Whether the scenario must run alone: @exclusive, or @cluster-control.</summary>
    public static bool IsExclusive(Catalog.ScenarioCase scenario) => scenario.HasTag(Tag) || scenario.HasTag("cluster-control");

    private readonly SemaphoreSlim Turnstile = new(1, 1);
    private readonly SemaphoreSlim Room = new(1, 1);
    private readonly SemaphoreSlim ReaderMutex = new(1, 1);
    private int _readers;

    /// <summary>Enters the gate (alone when <paramref name="exclusive"/>); the result leaves it. Throws on cancellation.</summary>
    public async Task<IDisposable> EnterAsync(bool exclusive, CancellationToken cancellation)
    {
        await Turnstile.WaitAsync(cancellation).ConfigureAwait(false);
        if (exclusive)
        {
            try { await Room.WaitAsync(cancellation).ConfigureAwait(false); }
            catch
            {
                Turnstile.Release();
                throw;
            }
            return new Leave(() =>
            {
                Room.Release();
                Turnstile.Release();
            });
        }
        Turnstile.Release();
        await ReaderMutex.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            if (_readers == 0) await Room.WaitAsync(cancellation).ConfigureAwait(false);
            _readers++;
        }
        finally
        {
            ReaderMutex.Release();
        }
        return new Leave(() =>
        {
            ReaderMutex.Wait();
            try
            {
                if (--_readers == 0) Room.Release();
            }
            finally
            {
                ReaderMutex.Release();
            }
        });
    }

    private sealed class Leave(Action leave) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) leave();
        }
    }
}
