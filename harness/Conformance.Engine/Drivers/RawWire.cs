using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Conformance.Engine.Drivers;

/// <summary>
/// One WebSocket frame built by hand (RFC 6455 §5.2), for the hostile-input catalogue (spec RB-010…): any opcode, FIN
/// and RSV bits, payload bytes that need not be valid UTF-8, and an unmasked variant a client must never send.
/// </summary>
public sealed record RawWireFrame(int Opcode, bool Fin, byte[] Payload, bool Masked = true, int Rsv = 0)
{
    public override string ToString() =>
        $"opcode 0x{Opcode:X} fin={(Fin ? 1 : 0)}{(Rsv != 0 ? $" rsv={Rsv}" : "")}{(Masked ? "" : " unmasked")} {Payload.Length} bytes";

    /// <summary>The frame's bytes on the wire: header, optional 4-byte mask key, (masked) payload.</summary>
    public byte[] Encode()
    {
        using var buffer = new MemoryStream();
        buffer.WriteByte((byte)((Fin ? 0x80 : 0) | ((Rsv & 7) << 4) | (Opcode & 0x0F)));
        var maskBit = Masked ? 0x80 : 0;
        var length = Payload.LongLength;
        if (length < 126) buffer.WriteByte((byte)(maskBit | (int)length));
        else if (length <= ushort.MaxValue)
        {
            buffer.WriteByte((byte)(maskBit | 126));
            buffer.WriteByte((byte)(length >> 8));
            buffer.WriteByte((byte)length);
        }
        else
        {
            buffer.WriteByte((byte)(maskBit | 127));
            for (var shift = 56; shift >= 0; shift -= 8) buffer.WriteByte((byte)(length >> shift));
        }
        if (!Masked)
        {
            buffer.Write(Payload);
            return buffer.ToArray();
        }
        var key = RandomNumberGenerator.GetBytes(4);
        buffer.Write(key);
        var masked = new byte[Payload.Length];
        for (var i = 0; i < masked.Length; i++) masked[i] = (byte)(Payload[i] ^ key[i & 3]);
        buffer.Write(masked);
        return buffer.ToArray();
    }
}

/// <summary>
/// A WebSocket client connection on a plain TCP socket with a hand-written HTTP upgrade: the harness controls every
/// request header (Origin, a missing Upgrade header, a wrong Sec-WebSocket-Version) and, after 101, can write frames a
/// WebSocket library would refuse to send. <see cref="Stream"/> serialises writes, so the library's frames (written
/// by <see cref="System.Net.WebSockets.WebSocket.CreateFromStream(Stream, System.Net.WebSockets.WebSocketCreationOptions)"/>)
/// and hand-built ones never interleave inside a frame.
/// </summary>
public sealed class RawWire : IDisposable
{
    private const int MaxResponseHead = 16 * 1024;
    private readonly TcpClient _tcp;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    private RawWire(TcpClient tcp)
    {
        _tcp = tcp;
        Stream = new LockedWriteStream(tcp.GetStream(), _writeLock);
    }

    /// <summary>The connection after the upgrade, for the WebSocket library; its writes take the same lock as raw frames.</summary>
    public Stream Stream { get; }

    /// <summary>
    /// Sends an upgrade request for <paramref name="uri"/> (or <paramref name="requestTarget"/> verbatim, for odd query
    /// strings) and reads the response head. The standard headers can be replaced, or removed with a null value.
    /// Returns the HTTP status (0 when the server closed without an answer) and, on 101, the open wire.
    /// </summary>
    public static async Task<(int Status, RawWire? Wire)> UpgradeAsync(Uri uri, IReadOnlyList<KeyValuePair<string, string?>> headers,
        TimeSpan timeout, CancellationToken cancellation, string? requestTarget = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(uri.Host, uri.Port, deadline.Token).ConfigureAwait(false);
            var all = new List<KeyValuePair<string, string?>>
            {
                new("Host", $"{uri.Host}:{uri.Port}"),
                new("Upgrade", "websocket"),
                new("Connection", "Upgrade"),
                new("Sec-WebSocket-Key", Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))),
                new("Sec-WebSocket-Version", "13"),
            };
            foreach (var (name, value) in headers)
            {
                all.RemoveAll(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));
                if (value is not null) all.Add(new(name, value));
            }
            var head = new StringBuilder($"GET {requestTarget ?? uri.PathAndQuery} HTTP/1.1\r\n");
            foreach (var (name, value) in all) head.Append(name).Append(": ").Append(value).Append("\r\n");
            head.Append("\r\n");
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), deadline.Token).ConfigureAwait(false);
            var status = await ReadStatusAsync(stream, deadline.Token).ConfigureAwait(false);
            if (status == 101) return (status, new RawWire(tcp));
            tcp.Dispose();
            return (status, null);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellation.IsCancellationRequested)
        {
            tcp.Dispose();
            return (0, null);
        }
    }

    /// <summary>Reads the response head byte by byte (nothing past it: the frames after a 101 belong to the WebSocket).</summary>
    private static async Task<int> ReadStatusAsync(NetworkStream stream, CancellationToken cancellation)
    {
        var head = new List<byte>(256);
        var one = new byte[1];
        while (head.Count < MaxResponseHead)
        {
            if (await stream.ReadAsync(one, cancellation).ConfigureAwait(false) == 0) break;
            head.Add(one[0]);
            if (head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n') break;
        }
        var text = Encoding.ASCII.GetString(head.ToArray());
        var parts = text.Split(' ', 3);
        return parts.Length >= 2 && parts[0].StartsWith("HTTP/", StringComparison.Ordinal) && int.TryParse(parts[1], out var status) ? status : 0;
    }

    public async Task WriteFrameAsync(RawWireFrame frame, CancellationToken cancellation)
    {
        var bytes = frame.Encode();
        await _writeLock.WaitAsync(cancellation).ConfigureAwait(false);
        try { await _tcp.GetStream().WriteAsync(bytes, cancellation).ConfigureAwait(false); }
        finally { _writeLock.Release(); }
    }

    public void Dispose()
    {
        _tcp.Dispose();
        _writeLock.Dispose();
    }

    /// <summary>Passes reads through; each write holds the lock shared with <see cref="WriteFrameAsync"/>.</summary>
    private sealed class LockedWriteStream(NetworkStream inner, SemaphoreSlim writeLock) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            writeLock.Wait();
            try { inner.Write(buffer, offset, count); }
            finally { writeLock.Release(); }
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try { await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false); }
            finally { writeLock.Release(); }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
