using System.Diagnostics;

namespace Conformance.Engine.Support;

/// <summary>Abrupt stops of the server processes the harness starts (Node fixtures, redis-server).</summary>
public static class ProcessKill
{
    /// <summary>
    /// SIGKILL to the process alone (peers see the TCP connection drop), waits for it to exit, and disposes it. Not the
    /// "entire process tree": that freezes and walks every process, which takes seconds on a busy box.
    /// </summary>
    public static async Task KillAsync(Process? process)
    {
        if (process is null) return;
        try
        {
            if (!process.HasExited) process.Kill();
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
        finally
        {
            process.Dispose();
        }
    }
}
