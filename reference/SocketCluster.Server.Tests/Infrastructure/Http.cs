using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SocketCluster.Server.Tests.Infrastructure;

/// <summary>Raw HTTP helpers: a WebSocket upgrade request whose refusal (status and body) we want to see.</summary>
public static class Http
{
    public static async Task<(HttpStatusCode Status, string Body)> UpgradeAsync(Uri wsUrl, string? origin = null)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(wsUrl.Host, wsUrl.Port);
        var stream = tcp.GetStream();
        var request = new StringBuilder()
            .Append($"GET {wsUrl.PathAndQuery} HTTP/1.1\r\n")
            .Append($"Host: {wsUrl.Host}:{wsUrl.Port}\r\n")
            .Append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
            .Append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
        if (origin is not null) request.Append($"Origin: {origin}\r\n");
        request.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()));

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var statusLine = await reader.ReadLineAsync().WithTimeout(what: "the HTTP status line") ?? "";
        var status = (HttpStatusCode)int.Parse(statusLine.Split(' ')[1]);
        var length = 0;
        string? line;
        while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync()))
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line[15..].Trim());
        var body = new char[length];
        var read = 0;
        while (read < length)
        {
            var n = await reader.ReadAsync(body, read, length - read);
            if (n == 0) break;
            read += n;
        }
        return (status, new string(body, 0, read));
    }
}
