namespace SocketCluster.Server.Tests.Infrastructure;

/// <summary>Generous waits for a loaded 2-core machine; tests never assert tight timing.</summary>
public static class Waits
{
    /// <summary>How long to wait for something that must happen.</summary>
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(15);

    /// <summary>How long to watch for something that must not happen.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(700);

    public static async Task<T> WithTimeout<T>(this Task<T> task, TimeSpan? timeout = null, string? what = null)
    {
        var limit = timeout ?? Long;
        if (await Task.WhenAny(task, Task.Delay(limit)) != task)
            throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#} s waiting for {what ?? "the operation"}.");
        return await task;
    }

    public static async Task WithTimeout(this Task task, TimeSpan? timeout = null, string? what = null)
    {
        var limit = timeout ?? Long;
        if (await Task.WhenAny(task, Task.Delay(limit)) != task)
            throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#} s waiting for {what ?? "the operation"}.");
        await task;
    }

    /// <summary>Polls a condition until it holds (or fails after <see cref="Long"/>).</summary>
    public static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Long;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting until {what}.");
            await Task.Delay(20);
        }
    }
}
