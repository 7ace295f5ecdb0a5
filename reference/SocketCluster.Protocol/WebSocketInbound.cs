using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace SocketCluster.Protocol;

public enum InboundKind { Text, Binary, Close, TooBig }

/// <summary>One whole inbound WebSocket message, or the end of the stream.</summary>
public sealed record WebSocketInbound(InboundKind Kind, string Text, byte[]? Bytes = null, int? CloseCode = null, string? CloseReason = null)
{
    public static async Task<WebSocketInbound> ReceiveAsync(WebSocket socket, long maxPayload, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        while (true)
        {
            var memory = buffer.GetMemory(4096);
            var result = await socket.ReceiveAsync(memory, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
                return new WebSocketInbound(InboundKind.Close, "", null,
                    (int?)socket.CloseStatus ?? CloseCodes.NoStatus, socket.CloseStatusDescription ?? "");
            buffer.Advance(result.Count);
            if (buffer.WrittenCount > maxPayload) return new WebSocketInbound(InboundKind.TooBig, "");
            if (!result.EndOfMessage) continue;
            var bytes = buffer.WrittenSpan;
            return result.MessageType == WebSocketMessageType.Text
                ? new WebSocketInbound(InboundKind.Text, Encoding.UTF8.GetString(bytes))
                : new WebSocketInbound(InboundKind.Binary, Encoding.UTF8.GetString(bytes), bytes.ToArray());
        }
    }
}
