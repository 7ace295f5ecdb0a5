using System.Diagnostics;

namespace Conformance.JsHosts;

/// <summary>Abrupt stops of the server processes the harness starts (Node fixtures, redis-server).</summary>
public static class ProcessKill
{
    /// <summary>
    /// SIGKILL to the process alone (peers see the TCP connection drop), waits for it to exit (at most 10 s), and
    /// disposes it. Not the "entire process tree": that freezes and walks every process, which takes seconds on a busy box.
    /// </summary>
    public static async Task KillAsync(Process? process)
    {
        if (process is null) return;
        try
        {
            try { if (!process.HasExited) process.Kill(); } catch (InvalidOperationException) { }
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await process.WaitForExitAsync(wait.Token).ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
        finally
        {
            process.Dispose();
        }
    }
}
