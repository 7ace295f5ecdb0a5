using System.Text.Json;
using SocketCluster.Protocol;
using SocketCluster.Server.Middleware;

namespace SocketCluster.Server;

public sealed partial class ServerSocket
{
    /// <summary>The per-socket processing loop: one message at a time, in arrival order (EV-018).</summary>
    private async Task ProcessInboundLoopAsync()
    {
        await foreach (var message in _inbound.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (State == SocketState.Closed) continue;
            try
            {
                await ProcessMessageAsync(message).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_closedCts.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                // Bad input must never stop the loop: report and go on with the next message.
                EmitError(e);
            }
        }
    }

    private async Task ProcessMessageAsync(WebSocketInbound inbound)
    {
        var text = inbound.Text;
        var isBinary = inbound.Kind == InboundKind.Binary;

        if (_inboundRawMiddleware is not null)
        {
            var action = new MiddlewareAction(ActionTypes.Message)
            {
                Socket = this,
                Data = JsonSerializer.SerializeToElement(text),
                IsBinary = isBinary,
            };
            try
            {
                var result = await RunMiddlewareAsync(_inboundRawMiddleware, action).ConfigureAwait(false);
                if (result is { HasData: true, Data: { } replaced })
                {
                    text = replaced.ValueKind == JsonValueKind.String ? replaced.GetString()! : ScCodec.Encode(replaced);
                    isBinary = false;
                }
            }
            catch (ActionBlockedException)
            {
                return;
            }
        }

        Emit(new ServerEvent("message") { Message = text });

        // A binary frame is never a pong: the official server compares the Buffer with the pong string.
        if (!isBinary && text == PingPong.Pong(ProtocolVersion))
        {
            if (_options.StrictHandshake && State == SocketState.Connecting)
            {
                RejectBeforeHandshake();
                return;
            }
            if (IsAuthTokenExpired()) Deauthenticate();
            return;
        }

        foreach (var packet in PacketReader.Read(text))
        {
            if (State == SocketState.Closed) return;
            await ProcessPacketAsync(packet, text).ConfigureAwait(false);
        }
    }

    private void RejectBeforeHandshake()
    {
        Destroy(CloseCodes.MessageBeforeHandshake, null);
        CloseTransport(CloseCodes.MessageBeforeHandshake, "");
    }

    private void RejectMalformed(string message)
    {
        EmitError(ScErrors.InvalidAction(message));
        Destroy(CloseCodes.HandshakeRejected, null);
        CloseTransport(CloseCodes.HandshakeRejected, "");
    }

    private async Task ProcessPacketAsync(Packet packet, string message)
    {
        if (packet is not EventPacket ev)
        {
            if (_options.StrictHandshake && State == SocketState.Connecting)
            {
                RejectBeforeHandshake();
                return;
            }
            if (packet is ResponsePacket response) HandleResponse(response);
            else Emit(new ServerEvent("raw") { Message = message });
            return;
        }

        var isRpc = ev.Cid is not null;
        var name = ev.Event;

        if (name == EventNames.Handshake)
        {
            if (!isRpc)
            {
                RejectMalformed("Handshake request was malformatted");
                return;
            }
            await ProcessHandshakeAsync(new ScRequest(this, ev.Cid!.Value, name, ev.Data)).ConfigureAwait(false);
            return;
        }
        if (_options.StrictHandshake && State == SocketState.Connecting)
        {
            RejectBeforeHandshake();
            return;
        }
        if (name == EventNames.Authenticate)
        {
            if (!isRpc)
            {
                RejectMalformed("Authenticate request was malformatted");
                return;
            }
            await ProcessAuthenticateRequestAsync(new ScRequest(this, ev.Cid!.Value, name, ev.Data)).ConfigureAwait(false);
            return;
        }
        if (name == EventNames.RemoveAuthToken)
        {
            // The server never answers a client's #removeAuthToken, even with a cid.
            DeauthenticateSelf();
            await _receivers.WriteAsync(name, ev.Data, _closedCts.Token).ConfigureAwait(false);
            return;
        }

        var tokenExpiredError = ProcessAuthTokenExpiry();
        ScRequest? request = isRpc ? new ScRequest(this, ev.Cid!.Value, name, ev.Data) : null;
        MiddlewareAction action;

        switch (name)
        {
            case EventNames.Publish:
                if (!_options.AllowClientPublish)
                {
                    FailAction(request, ScErrors.InvalidAction("Client publish feature is disabled"));
                    return;
                }
                if (ChannelOf(ev.Data) is not { } publishChannel)
                {
                    FailAction(request, ScErrors.InvalidAction("Publish channel name was malformatted"));
                    return;
                }
                action = new MiddlewareAction(ActionTypes.PublishIn)
                {
                    Socket = this, Channel = publishChannel, Data = InnerData(ev.Data), AuthTokenExpiredError = tokenExpiredError,
                };
                break;

            case EventNames.Subscribe:
                if (ChannelOf(ev.Data) is not { } subscribeChannel)
                {
                    FailAction(request, ScErrors.InvalidAction("Subscribe channel name was malformatted"));
                    return;
                }
                action = new MiddlewareAction(ActionTypes.Subscribe)
                {
                    Socket = this, Channel = subscribeChannel, Data = InnerData(ev.Data), AuthTokenExpiredError = tokenExpiredError,
                };
                break;

            case EventNames.Unsubscribe:
                if (ev.Data is not { ValueKind: JsonValueKind.String } channelName)
                {
                    FailAction(request, ScErrors.InvalidAction("Unsubscribe channel name was malformatted"));
                    return;
                }
                // No middleware action exists for unsubscribe.
                if (request is not null) await ProcessUnsubscribeRequestAsync(request, channelName.GetString()!).ConfigureAwait(false);
                else
                {
                    await ProcessUnsubscribePacketAsync(channelName.GetString()!).ConfigureAwait(false);
                    await _receivers.WriteAsync(name, ev.Data, _closedCts.Token).ConfigureAwait(false);
                }
                return;

            default:
                action = isRpc
                    ? new MiddlewareAction(ActionTypes.Invoke) { Socket = this, Procedure = name, Data = ev.Data, AuthTokenExpiredError = tokenExpiredError }
                    : new MiddlewareAction(ActionTypes.Transmit) { Socket = this, Receiver = name, Data = ev.Data, AuthTokenExpiredError = tokenExpiredError };
                break;
        }

        JsonElement? newData;
        try
        {
            newData = DataAfter(action, await RunMiddlewareAsync(_inboundMiddleware, action).ConfigureAwait(false));
        }
        catch (ActionBlockedException blocked)
        {
            // A blocked request gets the (client) error; a blocked transmit gets nothing.
            request?.Error(blocked.ClientError);
            return;
        }

        if (request is not null)
        {
            if (name == EventNames.Subscribe) await ProcessSubscribeRequestAsync(request, action.Channel!, ev.Data!.Value, newData).ConfigureAwait(false);
            else if (name == EventNames.Publish) await ProcessInboundPublishRequestAsync(request, action.Channel!, newData).ConfigureAwait(false);
            else
            {
                request.Data = newData;
                // A procedure without consumers never gets an answer: the client times out (not an error on the wire).
                await _procedures.WriteAsync(name, request, _closedCts.Token).ConfigureAwait(false);
            }
            return;
        }

        if (name == EventNames.Publish)
        {
            try
            {
                await Exchange.InvokePublishDataAsync(action.Channel!, newData).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                EmitError(e);
            }
        }
        // A #subscribe without a cid subscribes nothing; like any transmit it only reaches a '#subscribe' receiver.
        await _receivers.WriteAsync(name, newData, _closedCts.Token).ConfigureAwait(false);
    }

    /// <summary>Reports a malformed or refused action; a request also gets the error as its response.</summary>
    private void FailAction(ScRequest? request, ScError error)
    {
        EmitError(error);
        request?.Error(error);
    }

    /// <summary>data.channel when data is an object whose channel is a string (#subscribe, #publish).</summary>
    private static string? ChannelOf(JsonElement? data) =>
        data is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("channel", out var c) && c.ValueKind == JsonValueKind.String
            ? c.GetString() : null;

    /// <summary>data.data, or null when absent.</summary>
    private static JsonElement? InnerData(JsonElement? data) =>
        data is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("data", out var inner) ? inner.Clone() : null;

    private static JsonElement? DataAfter(MiddlewareAction action, MiddlewareAction.AllowResult? result) =>
        result is { HasData: true } ? result.Data : action.Data;
}
