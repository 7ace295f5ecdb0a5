using System.Text.Json;
using System.Text.Json.Nodes;
using SocketCluster.Protocol;
using SocketCluster.Server.Middleware;

namespace SocketCluster.Server;

public sealed partial class ServerSocket
{
    private const int HandshakeRejectionStatusCode = CloseCodes.HandshakeRejected;

    /// <summary>A #handshake packet: it must be a request (HS-004).</summary>
    private Task OnHandshakePacketAsync(EventPacket packet) =>
        RequireRequest(packet, "Handshake") is { } request ? ProcessHandshakeAsync(request) : Task.CompletedTask;

    /// <summary>
    /// The official _processHandshakeRequest: verify the token, run HANDSHAKE_SC, apply the token, open the
    /// socket, answer {id, pingTimeout[, authError], isAuthenticated}, then emit connect and connection.
    /// </summary>
    private async Task ProcessHandshakeAsync(ScRequest request)
    {
        if (State != SocketState.Connecting)
        {
            // A second #handshake is undefined behaviour officially (it can deadlock there); we refuse it clearly.
            request.Error(ScErrors.InvalidAction("The socket has already completed the handshake"));
            return;
        }
        // data.authToken || null: a missing, null or falsy token means "no token".
        JsonElement? signedAuthToken = request.Data is { ValueKind: JsonValueKind.Object } data
            && data.TryGetProperty("authToken", out var token) && ScData.IsTruthy(token) ? token.Clone() : null;
        StopHandshakeTimer();

        var authInfo = await ValidateAuthTokenAsync(signedAuthToken).ConfigureAwait(false);

        var action = new MiddlewareAction(ActionTypes.HandshakeSC) { Request = Request, Socket = this, AuthInfo = authInfo };
        try
        {
            await MiddlewareRunner.RunAsync(_handshakeMiddleware, action, _options.MiddlewareEmitFailures, EmitError, _closedCts.Token)
                .ConfigureAwait(false);
        }
        catch (ActionBlockedException blocked)
        {
            var rejection = blocked.ClientError as HandshakeRejection;
            var error = rejection?.WireError ?? ToScError(blocked.ClientError);
            if (rejection is null && error["statusCode"] is null) error.With("statusCode", HandshakeRejectionStatusCode);
            var statusCode = rejection?.CloseCode
                ?? (error["statusCode"] is JsonValue v && v.TryGetValue<int>(out var c) && IsSendableCloseCode(c) ? c : HandshakeRejectionStatusCode);
            request.Error(error);
            if (State != SocketState.Closed)
            {
                Destroy(statusCode, null);
                CloseTransport(statusCode, "");
            }
            return;
        }

        var oldAuthState = AuthState;
        ScError? authError = null;
        var removeToken = false;
        try
        {
            await ProcessAuthenticationAsync(authInfo).ConfigureAwait(false);
            if (State == SocketState.Closed) return;
        }
        catch (ScError error)
        {
            // The token is optional in the handshake: no token is not an error.
            if (signedAuthToken is not null)
            {
                authError = error;
                if (IsBadToken(error))
                {
                    DeauthenticateSelf();
                    removeToken = true;
                }
            }
        }

        var isAuthenticated = AuthToken is not null;
        lock (_gate)
        {
            if (_state != SocketState.Connecting) return; // closed meanwhile
            _state = SocketState.Open;
        }
        _server.PromoteToClient(this);

        var status = new JsonObject { ["id"] = Id, ["pingTimeout"] = (long)_options.PingTimeout.TotalMilliseconds };
        if (authError is not null) status["authError"] = JsonNode.Parse(authError.Dehydrate().GetRawText());
        status["isAuthenticated"] = isAuthenticated;
        // Treat authentication failure as a 'soft' error: the connection is established anyway.
        request.Respond(JsonSerializer.SerializeToElement(status));
        if (removeToken) EnqueueTransmit(EventNames.RemoveAuthToken, null);

        if (_options.BatchOnHandshake) StartBatchOnHandshake();

        Emit(ServerSocketEvents.Connect, new ConnectEvent(Id, _options.PingTimeout, isAuthenticated, authError));
        var handled = new List<Task>();
        _server.Emit(ServerEvents.Connection, new ConnectionEvent(this, Id, _options.PingTimeout, isAuthenticated, authError), handled);
        if (isAuthenticated) TriggerAuthenticationEvents(oldAuthState);
        _handshakeMiddleware?.Close();

        // The official server emits 'connection' synchronously, so the app's connection loop attaches its
        // receivers and procedures before the next message is processed. Give each connection listener the same
        // chance: wait (bounded) until it has moved past this event.
        if (handled.Count > 0)
            await Task.WhenAny(Task.WhenAll(handled), Task.Delay(_server.ConnectionListenerWait, _closedCts.Token)).ConfigureAwait(false);
    }

    private static ScError ToScError(Exception error) =>
        error as ScError ?? ScError.Hydrate(ScError.Dehydrate(error));
}
