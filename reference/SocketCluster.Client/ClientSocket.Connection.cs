using System.Text.Json;
using SocketCluster.Protocol;

namespace SocketCluster.Client;

/// <summary>Connection lifecycle: the state machine, connect, disconnect, handshake completion and teardown.</summary>
public sealed partial class ClientSocket
{
    private int _handshakes; // successful handshakes so far (for the test-only NoResubscribe fault)

    /// <summary>Connects if closed (official connect()); a no-op while connecting or open.</summary>
    /// <exception cref="ObjectDisposedException">The socket was disposed.</exception>
    public void Connect() => Connect(null);

    /// <summary>
    /// With new options: disconnects first if not closed (1000, "Socket was disconnected by the client to
    /// initiate a new connection"), then connects with them (official connect(options)).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The socket was disposed.</exception>
    /// <exception cref="ScError">InvalidArgumentsError: an option in <paramref name="newOptions"/> is out of range (a socket that was not closed has already been disconnected).</exception>
    public void Connect(ClientOptions? newOptions)
    {
        lock (Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (newOptions is not null)
            {
                if (_state != ConnectionState.Closed)
                    Disconnect(CloseCodes.Normal, "Socket was disconnected by the client to initiate a new connection");
                ValidateOptions(newOptions);
                Options = newOptions;
                Logger = LoggerOf(newOptions);
                AuthEngine = newOptions.AuthEngine ?? AuthEngine;
                // The official client (20.0.2) keeps the name it derived at creation: connect(options) derives one
                // only when authTokenName is unset, and its constructor has set it by then.
                AuthTokenName = newOptions.AuthTokenName ?? AuthTokenName;
            }
            if (_state != ConnectionState.Closed) return;

            CancelReconnect();
            TransitionTo(ConnectionState.Connecting);
            EmitEvent(ClientEvents.Connecting, new ConnectingEvent());
            var uri = SocketUri.Build(Options, Options.TimeProvider);
            ClientLog.Connecting(Logger, uri);
            var transport = new Transport(this, Options, uri);
            _transport = transport;
            transport.Start();
        }
    }

    /// <summary>
    /// Closes with the code (default 1000) and reason. 1000 and codes of 4500 and above stay closed; any other
    /// code schedules an auto-reconnect, as with the official client. While closed, cancels a pending reconnect.
    /// </summary>
    public void Disconnect(int code = CloseCodes.Normal, string? reason = null)
    {
        lock (Gate)
        {
            var wasConnecting = _state == ConnectionState.Connecting;
            if (wasConnecting || _state == ConnectionState.Open)
            {
                var transport = _transport;
                TransitionTo(ConnectionState.Closed);
                DestroySocket(code, reason, openAbort: wasConnecting);
                transport?.Close(code, reason);
            }
            else
            {
                CancelReconnect();
            }
        }
    }

    /// <summary>Disconnects (default 1000) and connects again at once (official reconnect()).</summary>
    public void Reconnect(int code = CloseCodes.Normal, string? reason = null)
    {
        lock (Gate)
        {
            Disconnect(code, reason);
            Connect();
        }
    }

    /// <summary>The only allowed moves: closed→connecting→open→closed, and connecting→closed.</summary>
    private void TransitionTo(ConnectionState next)
    {
        var allowed = (_state, next) switch
        {
            (ConnectionState.Closed, ConnectionState.Connecting) => true,
            (ConnectionState.Connecting, ConnectionState.Open) => true,
            (ConnectionState.Connecting, ConnectionState.Closed) => true,
            (ConnectionState.Open, ConnectionState.Closed) => true,
            _ => false,
        };
        if (!allowed) throw new InvalidOperationException($"Invalid connection state transition {_state} -> {next}.");
        _state = next;
    }

    internal void OnTransportOpen(Transport transport, JsonElement? status, string? sentToken)
    {
        if (transport != _transport) return;
        TransitionTo(ConnectionState.Open);
        BeginBatchingOnOpen();

        _preparingPendingSubscriptions = true;
        ScError? authError = null;
        var isAuthenticated = false;
        if (status is { } s)
        {
            _id = s.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            _pingTimeout = transport.PingTimeout;
            isAuthenticated = s.TryGetProperty("isAuthenticated", out var ia) && ScData.IsTruthy(ia);
            if (s.TryGetProperty("authError", out var ae) && ScData.IsTruthy(ae)) authError = ScError.Hydrate(ae);
            if (isAuthenticated) ChangeToAuthenticatedState(sentToken);
            else ChangeToUnauthenticatedStateAndClearTokens();
        }
        else
        {
            ChangeToUnauthenticatedStateAndClearTokens();
        }

        _connectAttempts = 0;
        var resubscribe = !(Has(ClientFaults.NoResubscribe) && _handshakes > 0); // test-only fault
        _handshakes++;
        if (Options.AutoSubscribeOnConnect && resubscribe) ProcessPendingSubscriptions();
        else if (!resubscribe) _preparingPendingSubscriptions = false;

        ClientLog.Connected(Logger, Uri, _id, isAuthenticated);
        if (authError is not null) ClientLog.HandshakeAuthRejected(Logger, authError.Name, authError.Message);
        EmitEvent(ClientEvents.Connect, new ConnectEvent(_id, _pingTimeout, isAuthenticated, authError, sentToken, status));

        if (_state == ConnectionState.Open) FlushOutboundQueue();
    }

    internal void OnTransportOpenAbort(Transport transport, int code, string? reason)
    {
        if (transport != _transport || _state == ConnectionState.Closed) return;
        TransitionTo(ConnectionState.Closed);
        DestroySocket(code, reason, openAbort: true);
    }

    internal void OnTransportClose(Transport transport, int code, string? reason)
    {
        if (transport != _transport || _state == ConnectionState.Closed) return;
        TransitionTo(ConnectionState.Closed);
        DestroySocket(code, reason, openAbort: false);
    }

    /// <summary>
    /// Teardown after any close or abort. Pending calls are rejected first (so a caller sees its
    /// BadConnectionError before the disconnect event), then subscribed channels go back to pending,
    /// then connectAbort|disconnect, close and (except for 1000/1001) a SocketProtocolError; finally the
    /// reconnect decision.
    /// </summary>
    private void DestroySocket(int code, string? reason, bool openAbort)
    {
        CancelBatchingCore();
        _transport = null; // official clearAllListeners: nothing from the old transport reaches us any more
        _id = null;
        CancelReconnect();

        if (!Has(ClientFaults.KeepPendingCallsOnDisconnect)) // test-only fault
            AbortAllPendingCalls(openAbort ? "connectAbort" : "disconnect", code, reason);
        SuspendSubscriptions();

        if (openAbort) ClientLog.ConnectAborted(Logger, code, reason);
        else ClientLog.Disconnected(Logger, code, reason);
        if (openAbort) EmitEvent(ClientEvents.ConnectAbort, new ConnectAbortEvent(code, reason));
        else EmitEvent(ClientEvents.Disconnect, new DisconnectEvent(code, reason));
        EmitEvent(ClientEvents.Close, new CloseEvent(code, reason));

        if (!CloseCodes.IsIgnoreStatus(code)) EmitError(ScErrors.SocketProtocol(code, reason));

        if (!Options.AutoReconnect || _disposed || Has(ClientFaults.NoAutoReconnect)) return;
        if (Has(ClientFaults.ReconnectAfterFinalCodes)) TryReconnect(null); // test-only fault
        else if (code is CloseCodes.ServerPingTimedOut or CloseCodes.ClientPongTimedOut or CloseCodes.NoStatus)
            TryReconnect(TimeSpan.Zero); // likely woke up from sleep: retry at once
        else if (code != CloseCodes.Normal && code < CloseCodes.PermanentFrom)
            TryReconnect(null);
    }
}
