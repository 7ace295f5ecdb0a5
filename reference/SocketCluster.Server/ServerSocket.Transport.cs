using System.Net.WebSockets;
using System.Text.Json.Nodes;
using SocketCluster.Protocol;

namespace SocketCluster.Server;

public sealed partial class ServerSocket
{
    /// <summary>
    /// Reads whole messages and queues them for in-order processing. Pongs reset the watchdog here, at receipt,
    /// so a slow middleware step never makes a live client time out.
    /// </summary>
    private async Task ReceiveLoopAsync()
    {
        var pong = PingPong.Pong(ProtocolVersion);
        while (true)
        {
            WebSocketInbound message;
            try
            {
                message = await WebSocketInbound.ReceiveAsync(_webSocket, _options.EffectiveMaxPayload, _receiveAbort.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The connection dropped without a close handshake (or the peer never answered ours).
                Destroy(CloseCodes.Abnormal, null);
                return;
            }

            switch (message.Kind)
            {
                case InboundKind.Close:
                    var code = message.CloseCode ?? CloseCodes.NoStatus;
                    Destroy(code, message.CloseReason);
                    // Complete the close handshake by echoing the peer's code, as ws does (no-op if we closed first).
                    await _sender.CloseAsync(IsSendableCloseCode(code) ? code : CloseCodes.NoStatus, IsSendableCloseCode(code) ? message.CloseReason : null)
                        .ConfigureAwait(false);
                    return;

                case InboundKind.TooBig:
                    // ws closes with 1009 on the wire; the server socket itself reports 1006 (RB-005).
                    EmitError(new ScError("RangeError", "Max payload size exceeded", new JsonObject { ["code"] = "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH" }));
                    Destroy(CloseCodes.Abnormal, null);
                    CloseTransport(CloseCodes.MessageTooBig, "");
                    await DrainUntilClosedAsync().ConfigureAwait(false);
                    return;
            }

            if (message.Kind == InboundKind.Text && message.Text == pong) ResetPongTimeout();
            else ResetPongTimeoutIfDue();

            if (State == SocketState.Closed) continue; // after our close frame: read until the peer answers
            try
            {
                await _inbound.Writer.WriteAsync(message, _closedCts.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
            {
                // Closed while the queue was full: the rest is discarded, as the official server kills its inbound stream.
            }
        }
    }

    /// <summary>After closing because of an oversized message: discard frames until the peer's close or the timeout.</summary>
    private async Task DrainUntilClosedAsync()
    {
        var buffer = new byte[8192];
        try
        {
            while (_webSocket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await _webSocket.ReceiveAsync(buffer, _receiveAbort.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close) return;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }
}
