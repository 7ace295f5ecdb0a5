using SocketCluster.Protocol.Streams;

namespace SocketCluster.Server.Middleware;

/// <summary>
/// The actions of one middleware type for one socket (or, for handshake middleware, one upgrade request): the
/// stream a setMiddleware function iterates with <c>await foreach</c>.
/// </summary>
public sealed class MiddlewareStream : IAsyncEnumerable<MiddlewareAction>
{
    private readonly StreamConsumer<MiddlewareAction> _stream;

    internal MiddlewareStream(string type, int capacity)
    {
        Type = type;
        // Inline continuations: the socket's in-order processing writes each action and awaits its verdict anyway.
        _stream = new StreamConsumer<MiddlewareAction>(type, capacity, inlineContinuations: true);
    }

    /// <summary>One of <see cref="MiddlewareTypes"/>.</summary>
    public string Type { get; }

    internal ValueTask WriteAsync(MiddlewareAction action, CancellationToken cancellationToken) =>
        _stream.WriteAsync(action, null, cancellationToken);

    internal void Close() => _stream.Close();

    public IAsyncEnumerator<MiddlewareAction> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        _stream.GetAsyncEnumerator(cancellationToken);
}
