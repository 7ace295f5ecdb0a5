namespace SocketCluster.Protocol;

/// <summary>
/// The loop behind the server's and the client's handler-style Receiver/Procedure overloads: one item at a time, in
/// order, until the stream ends or the token is cancelled. The handlers passed in catch their own exceptions.
/// </summary>
internal static class HandlerLoop
{
    /// <summary>
    /// Consumes <paramref name="stream"/>; cancellation ends the loop quietly. The enumeration starts before this
    /// returns (up to the first wait for an item), so a stream that registers its consumer when enumerated (the
    /// client's) misses nothing written after the call.
    /// </summary>
    public static async Task RunAsync<T>(IAsyncEnumerable<T> stream, Func<T, Task> handle, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in stream.WithCancellation(cancellationToken).ConfigureAwait(false))
                await handle(item).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>A synchronous handler as an asynchronous one.</summary>
    public static Func<T, Task> Synchronous<T>(Action<T> handler) => item =>
    {
        handler(item);
        return Task.CompletedTask;
    };
}
