using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace Conformance.Engine.Support;

/// <summary>
/// The server half of a WebSocket upgrade on a raw TCP stream (RFC 6455 §4.2), for the harness's own listeners (the
/// recording relay and the scripted server): read the HTTP request, answer it with 101 or an error status.
/// </summary>
public static class WebSocketUpgrade
{
    private const string WebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>An upgrade request: its path with query string and its headers (names case-insensitive).</summary>
    public sealed record Request(string PathAndQuery, Dictionary<string, string> Headers)
    {
        public string? Key => Headers.TryGetValue("sec-websocket-key", out var key) ? key.Trim() : null;
    }

    /// <summary>Reads the request head (at most 32 KiB); null when the peer closed or did not send a GET.</summary>
    public static async Task<Request?> ReadRequestAsync(NetworkStream stream, CancellationToken cancellation)
    {
        var head = new List<byte>(1024);
        var one = new byte[1];
        while (head.Count < 32 * 1024)
        {
            if (await stream.ReadAsync(one, cancellation).ConfigureAwait(false) == 0) return null;
            head.Add(one[0]);
            var n = head.Count;
            if (n >= 4 && head[n - 4] == '\r' && head[n - 3] == '\n' && head[n - 2] == '\r' && head[n - 1] == '\n') break;
        }
        var lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length < 3 || requestLine[0] != "GET") return null;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return new Request(requestLine[1], headers);
    }

    /// <summary>Answers with an HTTP error status and no body (best effort: the peer may be gone).</summary>
    public static async Task WriteStatusAsync(NetworkStream stream, int status, string reason)
    {
        try
        {
            var text = $"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(text)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException) { }
    }

    /// <summary>Writes the 101 answer for <paramref name="key"/> and returns the server-side WebSocket on the stream.</summary>
    public static async Task<WebSocket> AcceptAsync(NetworkStream stream, string key, CancellationToken cancellation)
    {
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key.Trim() + WebSocketGuid)));
        var response = $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(response), cancellation).ConfigureAwait(false);
        return WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
    }
}
