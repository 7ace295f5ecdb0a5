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
                EmitError(IsUnreadableString(e)
                    ? ScErrors.InvalidAction($"Socket {Id} sent a name or channel that is not valid UTF-16 (a lone surrogate escape): {e.Message}")
                    : e);
            }
        }
    }

    /// <summary>
    /// System.Text.Json cannot unescape a string that is not valid UTF-16 ("\ud800"), which JSON allows: where the
    /// server must read such a string as a name or channel, the request fails as bad input (RB-019, found by the fuzzer).
    /// </summary>
    private static bool IsUnreadableString(Exception e) =>
        e is InvalidOperationException && e.Message.Contains("UTF-16", StringComparison.Ordinal) && e.StackTrace?.Contains("System.Text.Json", StringComparison.Ordinal) == true;

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

        Emit(ServerSocketEvents.Message, new MessageEvent(text));

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

    /// <summary>
    /// One line per packet kind. The protocol area's own file validates the packet, runs its middleware step and
    /// answers: handshake (Handshake.cs), auth (Auth.cs), pub/sub (PubSub.cs), invoke and transmit (below).
    /// </summary>
    private Task ProcessPacketAsync(Packet packet, string message)
    {
        if (packet is EventPacket { Event: EventNames.Handshake } handshake) return OnHandshakePacketAsync(handshake);
        if (_options.StrictHandshake && State == SocketState.Connecting)
        {
            RejectBeforeHandshake(); // HS-006
            return Task.CompletedTask;
        }
        if (packet is not EventPacket ev)
        {
            if (packet is ResponsePacket response) HandleResponse(response);
            else Emit(ServerSocketEvents.Raw, new RawEvent(message));
            return Task.CompletedTask;
        }
        switch (ev.Event)
        {
            case EventNames.Authenticate: return OnAuthenticatePacketAsync(ev);
            case EventNames.RemoveAuthToken: return OnRemoveAuthTokenPacketAsync(ev);
        }

        // Every other event first checks the token's expiry; the middleware action carries the error.
        var tokenExpiredError = ProcessAuthTokenExpiry();
        return ev.Event switch
        {
            EventNames.Publish => OnPublishPacketAsync(ev, tokenExpiredError),
            EventNames.Subscribe => OnSubscribePacketAsync(ev, tokenExpiredError),
            EventNames.Unsubscribe => OnUnsubscribePacketAsync(ev),
            _ when ev.Cid is not null => OnInvokePacketAsync(ev, tokenExpiredError),
            _ => OnTransmitPacketAsync(ev, tokenExpiredError),
        };
    }

    /// <summary>A request for a procedure: INBOUND middleware (INVOKE), then the procedure's stream.</summary>
    private async Task OnInvokePacketAsync(EventPacket packet, ScError? tokenExpiredError)
    {
        var request = RequestOf(packet)!;
        var action = new MiddlewareAction(ActionTypes.Invoke)
        {
            Socket = this, Procedure = packet.Event, Data = packet.Data, AuthTokenExpiredError = tokenExpiredError,
        };
        if (await RunInboundMiddlewareAsync(action, request).ConfigureAwait(false) is not { } allowed) return;
        request.Data = allowed.Data;
        // A procedure without consumers never gets an answer: the client times out (not an error on the wire).
        await _procedures.WriteAsync(packet.Event, request, _closedCts.Token).ConfigureAwait(false);
    }

    /// <summary>A transmitted event: INBOUND middleware (TRANSMIT), then the receiver's stream.</summary>
    private async Task OnTransmitPacketAsync(EventPacket packet, ScError? tokenExpiredError)
    {
        var action = new MiddlewareAction(ActionTypes.Transmit)
        {
            Socket = this, Receiver = packet.Event, Data = packet.Data, AuthTokenExpiredError = tokenExpiredError,
        };
        if (await RunInboundMiddlewareAsync(action, null).ConfigureAwait(false) is not { } allowed) return;
        await _receivers.WriteAsync(packet.Event, allowed.Data, _closedCts.Token).ConfigureAwait(false);
    }

    /// <summary>#handshake and #authenticate must be requests: without a cid the socket closes with 4008 (HS-004).</summary>
    private ScRequest? RequireRequest(EventPacket packet, string what)
    {
        if (RequestOf(packet) is { } request) return request;
        RejectMalformed($"{what} request was malformatted");
        return null;
    }

    /// <summary>The packet as a request when it has a cid (answered with End/Error), else null (a transmit).</summary>
    private ScRequest? RequestOf(EventPacket packet) =>
        packet.Cid is { } cid ? new ScRequest(this, cid, packet.Event, packet.Data) : null;

    /// <summary>What INBOUND middleware let through: the data to go on with (replaced or not).</summary>
    private readonly record struct Allowed(JsonElement? Data);

    /// <summary>
    /// Runs an inbound action through INBOUND middleware. Null when blocked: a blocked request gets the (client)
    /// error, a blocked transmit gets nothing.
    /// </summary>
    private async Task<Allowed?> RunInboundMiddlewareAsync(MiddlewareAction action, ScRequest? request)
    {
        try
        {
            var result = await RunMiddlewareAsync(_inboundMiddleware, action).ConfigureAwait(false);
            return new Allowed(DataAfter(action, result));
        }
        catch (ActionBlockedException blocked)
        {
            request?.Error(blocked.ClientError);
            return null;
        }
    }

    /// <summary>Reports a malformed or refused action; a request also gets the error as its response.</summary>
    private void FailAction(ScRequest? request, ScError error)
    {
        EmitError(error);
        request?.Error(error);
    }

    private static JsonElement? DataAfter(MiddlewareAction action, MiddlewareAction.AllowResult? result) =>
        result is { HasData: true } ? result.Data : action.Data;
}
