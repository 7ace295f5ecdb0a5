using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace SocketCluster.Protocol;

public enum InboundKind { Text, Binary, Close, TooBig }

/// <summary>One whole inbound WebSocket message, or the end of the stream.</summary>
public sealed record WebSocketInbound(InboundKind Kind, string Text, byte[]? Bytes = null, int? CloseCode = null, string? CloseReason = null)
{
    private const int ReceiveChunk = 4096;

    /// <summary>
    /// Receives one message. It first waits with an empty buffer, so an idle connection holds no receive buffer; the
    /// message is then read into a pooled buffer that is returned once the text is decoded.
    /// </summary>
    public static async Task<WebSocketInbound> ReceiveAsync(WebSocket socket, long maxPayload, CancellationToken cancellationToken)
    {
        var first = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        if (first.MessageType == WebSocketMessageType.Close) return Closed(socket);
        if (first.EndOfMessage) return Complete(first.MessageType, []);

        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveChunk);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close) return Closed(socket);
                length += result.Count;
                if (length > maxPayload) return new WebSocketInbound(InboundKind.TooBig, "");
                if (result.EndOfMessage) return Complete(result.MessageType, buffer.AsSpan(0, length));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static WebSocketInbound Closed(WebSocket socket) =>
        new(InboundKind.Close, "", null, (int?)socket.CloseStatus ?? CloseCodes.NoStatus, socket.CloseStatusDescription ?? "");

    private static WebSocketInbound Complete(WebSocketMessageType type, ReadOnlySpan<byte> bytes) =>
        type == WebSocketMessageType.Text
            ? new WebSocketInbound(InboundKind.Text, bytes.IsEmpty ? "" : Encoding.UTF8.GetString(bytes))
            : new WebSocketInbound(InboundKind.Binary, Encoding.UTF8.GetString(bytes), bytes.ToArray());
}
