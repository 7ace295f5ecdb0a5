using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace SocketCluster.Protocol;

/// <summary>What a <see cref="WebSocketInbound"/> is: a text or binary message, the close, or a message over the size limit.</summary>
public enum InboundKind
{
    /// <summary>A text message.</summary>
    Text,
    /// <summary>A binary message.</summary>
    Binary,
    /// <summary>The peer closed (or the connection ended).</summary>
    Close,
    /// <summary>A message over the size limit (official maxPayload).</summary>
    TooBig,
}

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
        var message = await ReceivePooledAsync(socket, maxPayload, cancellationToken).ConfigureAwait(false);
        try
        {
            return message.Type switch
            {
                WebSocketMessageType.Close => new WebSocketInbound(InboundKind.Close, "", null,
                    (int?)socket.CloseStatus ?? CloseCodes.NoStatus, socket.CloseStatusDescription ?? ""),
                _ when message.TooBig => new WebSocketInbound(InboundKind.TooBig, ""),
                WebSocketMessageType.Text => new WebSocketInbound(InboundKind.Text, message.Length == 0 ? "" : Encoding.UTF8.GetString(message.Span)),
                _ => new WebSocketInbound(InboundKind.Binary, Encoding.UTF8.GetString(message.Span), message.Span.ToArray()),
            };
        }
        finally
        {
            message.Return();
        }
    }

    /// <summary>
    /// Receives one whole message into a buffer rented from <see cref="ArrayPool{T}.Shared"/> (none for an empty
    /// message or a close); the caller calls <see cref="PooledMessage.Return"/> once done with it. It waits for the
    /// message with an empty buffer first, so a connection waiting for data holds no buffer.
    /// </summary>
    public static async Task<PooledMessage> ReceivePooledAsync(WebSocket socket, long maxPayload, CancellationToken cancellationToken)
    {
        var first = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        if (first.MessageType == WebSocketMessageType.Close || first.EndOfMessage) return new PooledMessage(first.MessageType, null, 0, false);

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
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return new PooledMessage(WebSocketMessageType.Close, null, 0, false);
                }
                length += result.Count;
                if (length > maxPayload)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return new PooledMessage(result.MessageType, null, 0, TooBig: true);
                }
                if (result.EndOfMessage) return new PooledMessage(result.MessageType, buffer, length, false);
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}

/// <summary>One whole received message in a pooled buffer (see <see cref="WebSocketInbound.ReceivePooledAsync"/>).</summary>
public readonly record struct PooledMessage(WebSocketMessageType Type, byte[]? Buffer, int Length, bool TooBig)
{
    /// <summary>The message bytes.</summary>
    public ReadOnlySpan<byte> Span => Buffer is null ? [] : Buffer.AsSpan(0, Length);

    /// <summary>The message bytes, as memory.</summary>
    public ReadOnlyMemory<byte> Memory => Buffer is null ? ReadOnlyMemory<byte>.Empty : Buffer.AsMemory(0, Length);

    /// <summary>Gives the buffer back to the pool; the message must not be used afterwards.</summary>
    public void Return()
    {
        if (Buffer is not null) ArrayPool<byte>.Shared.Return(Buffer);
    }
}
