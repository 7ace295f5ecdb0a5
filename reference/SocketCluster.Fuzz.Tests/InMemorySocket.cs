using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SocketCluster.Server;

namespace SocketCluster.Fuzz.Tests;

/// <summary>
/// One server socket in memory: a WebSocket pair over two pipes, the server side run by
/// <see cref="SocketClusterServer"/> exactly as after an HTTP upgrade, the client side driven by the fuzzer.
/// </summary>
public sealed class InMemorySocket : IAsyncDisposable
{
    private readonly WebSocket _client;
    private readonly Task _serving;
    private readonly Task _receiving;
    private readonly List<string> _received = [];
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private InMemorySocket(WebSocket client, Task serving)
    {
        _client = client;
        _serving = serving;
        _receiving = Task.Run(ReceiveAsync);
    }

    public static InMemorySocket Open(SocketClusterServer server)
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var serverSide = WebSocket.CreateFromStream(new DuplexStream(toServer.Reader.AsStream(), toClient.Writer.AsStream()),
            new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        var clientSide = WebSocket.CreateFromStream(new DuplexStream(toClient.Reader.AsStream(), toServer.Writer.AsStream()),
            new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        var request = new UpgradeRequest("/socketcluster/", "/socketcluster/", new QueryCollection(), new HeaderDictionary(), "127.0.0.1", 1);
        return new InMemorySocket(clientSide, Task.Run(() => server.AcceptAsync(serverSide, request)));
    }

    public bool IsClosed => _closed.Task.IsCompleted;

    public async Task SendAsync(string text, bool binary)
    {
        if (IsClosed || _client.State != WebSocketState.Open) return;
        try
        {
            await _client.SendAsync(Encoding.UTF8.GetBytes(text), binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The server closed the connection meanwhile: the rest of the input is lost, as on the network.
        }
    }

    /// <summary>Waits for a response with this rid or the end of the connection; false when neither came in time (a hang).</summary>
    public async Task<bool> AnsweredOrClosedAsync(long rid, TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            Task changed;
            lock (_received)
            {
                if (_received.Any(t => IsResponse(t, rid)) || IsClosed) return true;
                changed = _changed.Task;
            }
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero) return false;
            await Task.WhenAny(changed, _closed.Task, Task.Delay(remaining));
        }
    }

    private static bool IsResponse(string text, long rid)
    {
        if (!text.Contains($"\"rid\":{rid}", StringComparison.Ordinal)) return false;
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var items = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
            return items.Any(i => i.ValueKind == JsonValueKind.Object && i.TryGetProperty("rid", out var r) && r.ValueKind == JsonValueKind.Number
                && r.TryGetInt64(out var v) && v == rid);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _client.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                message.SetLength(0);
                TaskCompletionSource signal;
                lock (_received)
                {
                    _received.Add(text);
                    signal = _changed;
                    _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
                signal.TrySetResult();
                // Answer pings so that liveness never closes the socket during a case.
                if (text is "" or "#1") await SendAsync(text == "" ? "" : "#2", false);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            _closed.TrySetResult();
        }
    }

    /// <summary>Closes the client side and waits (bounded) for the server socket to end; false when it did not (a hang).</summary>
    public async Task<bool> CloseAsync(TimeSpan wait)
    {
        // Also after the server's close frame (CloseReceived): the server waits for our answer before it ends the socket.
        if (_client.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var timeout = new CancellationTokenSource(wait);
                await _client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
            }
        }
        var ended = await Task.WhenAny(_serving, Task.Delay(wait)) == _serving;
        if (!ended) _client.Abort();
        return ended;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Abort();
        await Task.WhenAny(_receiving, Task.Delay(TimeSpan.FromSeconds(2)));
        _client.Dispose();
    }

    /// <summary>A stream that reads from one pipe and writes to the other.</summary>
    private sealed class DuplexStream(Stream read, Stream write) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => write.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => write.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => read.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => read.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => read.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Write(byte[] buffer, int offset, int count) => write.Write(buffer, offset, count);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => write.WriteAsync(buffer, cancellationToken);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => write.WriteAsync(buffer, offset, count, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                read.Dispose();
                write.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
