using System.Text.Json;
using SocketCluster.Protocol;

namespace SocketCluster.Client;

/// <summary>
/// Inbound processing, strictly in order per connection: pings, then each packet of the message (a JSON array
/// is a batch) as a request, a transmit, a response or a raw message (EV-001, EV-004, EV-008, EV-009, RB-001).
/// </summary>
public sealed partial class ClientSocket
{
    internal void OnTransportMessage(Transport transport, WebSocketInbound inbound)
    {
        if (transport != _transport) return;
        if (inbound.Kind == InboundKind.Binary)
        {
            // The official client (binaryType arraybuffer) never parses binary frames: they are raw.
            EmitEvent(ClientEvents.Message, new MessageEvent(inbound.Text, inbound.Bytes));
            EmitEvent(ClientEvents.Raw, new RawEvent(inbound.Text, inbound.Bytes));
            return;
        }

        var text = inbound.Text;
        EmitEvent(ClientEvents.Message, new MessageEvent(text));
        if (transport.HandlePing(text)) return;

        foreach (var packet in PacketReader.Read(text))
        {
            if (transport != _transport) break; // a packet of this batch closed the connection
            switch (packet)
            {
                case EventPacket { Cid: { } cid } request:
                    OnInboundInvoke(new ProcedureRequest(this, transport, cid, request.Event, request.Data));
                    break;
                case EventPacket transmit:
                    OnInboundTransmit(transmit.Event, transmit.Data);
                    break;
                case ResponsePacket response:
                    OnResponse(transport, response);
                    break;
                default:
                    EmitEvent(ClientEvents.Raw, new RawEvent(text));
                    if (Has(ClientFaults.RawMessageCloses)) Disconnect(1003, "raw message"); // test-only fault
                    break;
            }
        }
    }

    private void OnInboundTransmit(string eventName, JsonElement? data)
    {
        switch (eventName)
        {
            case EventNames.Publish:
                OnPublish(data);
                break;
            case EventNames.KickOut:
                OnKickOut(data);
                break;
            case EventNames.SetAuthToken:
                if (TokenOf(data) is { } token) SetAuthTokenFromServer(token);
                break;
            case EventNames.RemoveAuthToken:
                RemoveAuthTokenFromServer();
                break;
            default:
                _receivers.Emit(eventName, data);
                break;
        }
    }

    private void OnInboundInvoke(ProcedureRequest request)
    {
        switch (request.Procedure)
        {
            case EventNames.SetAuthToken:
                if (TokenOf(request.Data) is { } token)
                {
                    SetAuthTokenFromServer(token);
                    request.End();
                }
                else
                {
                    request.Error(ScErrors.InvalidMessage("No token data provided by #setAuthToken event"));
                }
                break;
            case EventNames.RemoveAuthToken:
                RemoveAuthTokenFromServer();
                request.End();
                break;
            default:
                // No consumer means no response at all, as with the official client: the server times out.
                _procedures.Emit(request.Procedure, request);
                break;
        }
    }

    /// <summary>The token of a #setAuthToken: data {"token": "&lt;signed JWT&gt;"}.</summary>
    private static string? TokenOf(JsonElement? data) =>
        data is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString() : null;
}
