using System.Buffers.Text;
using System.Net.WebSockets;
using System.Text;
using SocketCluster.Protocol;

namespace SocketCluster.Benchmarks;

/// <summary>
/// A load-generator connection: raw protocol frames written as pre-encoded bytes, one pooled receive buffer,
/// pings answered. It recognises only what the scenarios count: responses (rid) and #publish deliveries.
/// </summary>
public sealed class RawConnection : IAsyncDisposable
{
    private static readonly byte[] HandshakeFrame = "{\"event\":\"#handshake\",\"data\":{},\"cid\":1}"u8.ToArray();
    private static readonly byte[] RidPrefix = "{\"rid\":"u8.ToArray();
    private static readonly byte[] PublishPrefix = "{\"event\":\"#publish\""u8.ToArray();

    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiveLoop = Task.CompletedTask;
    private long _nextCid = 1;
    private const long MaxMessage = 1 << 24;

    /// <summary>Called with the rid of each response (the handshake's rid 1 excluded).</summary>
    public Action<long>? OnResponse { get; set; }

    /// <summary>Called for each #publish delivery.</summary>
    public Action? OnPublish { get; set; }

    public int PingsAnswered => Volatile.Read(ref _pings);
    private int _pings;

    public bool IsOpen => _socket.State == WebSocketState.Open;

    public static async Task<RawConnection> ConnectAsync(Uri url, CancellationToken cancellationToken)
    {
        var connection = new RawConnection();
        connection._socket.Options.KeepAliveInterval = TimeSpan.Zero; // the protocol's own pings only
        await connection._socket.ConnectAsync(url, cancellationToken);
        connection._receiveLoop = Task.Run(connection.ReceiveLoopAsync, CancellationToken.None);
        await connection.SendAsync(HandshakeFrame);
        await connection._handshake.Task.WaitAsync(cancellationToken);
        return connection;
    }

    /// <summary>Connects <paramref name="count"/> connections, <paramref name="parallel"/> at a time.</summary>
    public static async Task<RawConnection[]> ConnectManyAsync(Uri url, int count, int parallel, CancellationToken cancellationToken)
    {
        var connections = new RawConnection[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken },
            async (i, ct) => connections[i] = await ConnectAsync(url, ct));
        return connections;
    }

    public long NextCid() => Interlocked.Increment(ref _nextCid);

    public async ValueTask SendAsync(ReadOnlyMemory<byte> frame)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>An event frame with a cid: {"event":E,"data":D,"cid":N}, D already JSON.</summary>
    public static byte[] Request(string eventName, string dataJson, long cid) =>
        Encoding.UTF8.GetBytes($"{{\"event\":\"{eventName}\",\"data\":{dataJson},\"cid\":{cid}}}");

    public static byte[] Transmit(string eventName, string dataJson) =>
        Encoding.UTF8.GetBytes($"{{\"event\":\"{eventName}\",\"data\":{dataJson}}}");

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (true)
            {
                var message = await WebSocketInbound.ReceivePooledAsync(_socket, MaxMessage, CancellationToken.None);
                if (message.Type == WebSocketMessageType.Close) return;
                try
                {
                    await OnMessageAsync(message.Memory);
                }
                finally
                {
                    message.Return();
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _handshake.TrySetException(new WebSocketException("closed before the handshake response"));
        }
    }

    private async ValueTask OnMessageAsync(ReadOnlyMemory<byte> message)
    {
        var span = message.Span;
        if (span.Length == 0)
        {
            // Protocol v2 ping (empty text frame): answer with the empty pong.
            Interlocked.Increment(ref _pings);
            await SendAsync(ReadOnlyMemory<byte>.Empty);
            return;
        }
        if (span.StartsWith(RidPrefix))
        {
            Utf8Parser.TryParse(span[RidPrefix.Length..], out long rid, out _);
            if (rid == 1) _handshake.TrySetResult();
            else OnResponse?.Invoke(rid);
            return;
        }
        if (span.StartsWith(PublishPrefix)) OnPublish?.Invoke();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        _socket.Abort();
        await _receiveLoop.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
        _socket.Dispose();
    }

    public static async Task DisposeAllAsync(IEnumerable<RawConnection> connections)
    {
        await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (c, _) => await c.DisposeAsync());
    }
}
