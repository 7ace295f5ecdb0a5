namespace SocketCluster.Server;

/// <summary>
/// A server event's official name, typed by the record it delivers: <c>server.Listener(ServerEvents.Connection)</c> is a
/// stream of <see cref="ConnectionEvent"/>, and a misspelt name or a socket event asked of the server does not compile
/// (no conversion to string, so it cannot fall back to <c>Listener(string)</c>; use <see cref="Name"/> for the string).
/// </summary>
public sealed class ServerEventName<TEvent> where TEvent : ServerEvent
{
    internal ServerEventName(string name) => Name = name;

    /// <summary>The official event name, e.g. "connection".</summary>
    public string Name { get; }

    /// <summary>Returns <see cref="Name"/>.</summary>
    public override string ToString() => Name;
}

/// <summary>A server socket event's official name, typed by its record; see <see cref="ServerEventName{TEvent}"/>.</summary>
public sealed class ServerSocketEventName<TEvent> where TEvent : ServerEvent
{
    internal ServerSocketEventName(string name) => Name = name;

    /// <summary>The official event name, e.g. "disconnect".</summary>
    public string Name { get; }

    /// <summary>Returns <see cref="Name"/>.</summary>
    public override string ToString() => Name;
}

/// <summary>
/// The server's events (the official agServer.listener names), for <see cref="SocketClusterServer.Listener{TEvent}"/>:
/// <c>await foreach (var e in server.Listener(ServerEvents.Connection))</c> gives <see cref="ConnectionEvent"/>s.
/// </summary>
public static class ServerEvents
{
    /// <summary>Official 'connection'; delivers <see cref="ConnectionEvent"/>.</summary>
    public static readonly ServerEventName<ConnectionEvent> Connection = new("connection");
    /// <summary>Official 'handshake'; delivers <see cref="HandshakeEvent"/>.</summary>
    public static readonly ServerEventName<HandshakeEvent> Handshake = new("handshake");
    /// <summary>Official 'connectionAbort'; delivers <see cref="ConnectionAbortEvent"/>.</summary>
    public static readonly ServerEventName<ConnectionAbortEvent> ConnectionAbort = new("connectionAbort");
    /// <summary>Official 'disconnection'; delivers <see cref="DisconnectionEvent"/>.</summary>
    public static readonly ServerEventName<DisconnectionEvent> Disconnection = new("disconnection");
    /// <summary>Official 'closure'; delivers <see cref="ClosureEvent"/>.</summary>
    public static readonly ServerEventName<ClosureEvent> Closure = new("closure");
    /// <summary>Official 'subscription'; delivers <see cref="SubscriptionEvent"/>.</summary>
    public static readonly ServerEventName<SubscriptionEvent> Subscription = new("subscription");
    /// <summary>Official 'unsubscription'; delivers <see cref="UnsubscriptionEvent"/>.</summary>
    public static readonly ServerEventName<UnsubscriptionEvent> Unsubscription = new("unsubscription");
    /// <summary>Official 'authentication'; delivers <see cref="AuthenticationEvent"/>.</summary>
    public static readonly ServerEventName<AuthenticationEvent> Authentication = new("authentication");
    /// <summary>Official 'deauthentication'; delivers <see cref="DeauthenticationEvent"/>.</summary>
    public static readonly ServerEventName<DeauthenticationEvent> Deauthentication = new("deauthentication");
    /// <summary>Official 'authenticationStateChange'; delivers <see cref="AuthenticationStateChangeEvent"/>.</summary>
    public static readonly ServerEventName<AuthenticationStateChangeEvent> AuthenticationStateChange = new("authenticationStateChange");
    /// <summary>Official 'badSocketAuthToken'; delivers <see cref="BadSocketAuthTokenEvent"/>.</summary>
    public static readonly ServerEventName<BadSocketAuthTokenEvent> BadSocketAuthToken = new("badSocketAuthToken");
    /// <summary>Official 'error'; delivers <see cref="ErrorEvent"/>.</summary>
    public static readonly ServerEventName<ErrorEvent> Error = new("error");
    /// <summary>Official 'warning'; delivers <see cref="WarningEvent"/>.</summary>
    public static readonly ServerEventName<WarningEvent> Warning = new("warning");
}

/// <summary>
/// A server socket's events (the official socket.listener names), for <see cref="ServerSocket.Listener{TEvent}"/>:
/// <c>socket.Listener(ServerSocketEvents.Disconnect)</c> gives <see cref="DisconnectEvent"/>s.
/// </summary>
public static class ServerSocketEvents
{
    /// <summary>Official 'connect'; delivers <see cref="ConnectEvent"/>.</summary>
    public static readonly ServerSocketEventName<ConnectEvent> Connect = new("connect");
    /// <summary>Official 'connectAbort'; delivers <see cref="ConnectAbortEvent"/>.</summary>
    public static readonly ServerSocketEventName<ConnectAbortEvent> ConnectAbort = new("connectAbort");
    /// <summary>Official 'disconnect'; delivers <see cref="DisconnectEvent"/>.</summary>
    public static readonly ServerSocketEventName<DisconnectEvent> Disconnect = new("disconnect");
    /// <summary>Official 'close'; delivers <see cref="CloseEvent"/>.</summary>
    public static readonly ServerSocketEventName<CloseEvent> Close = new("close");
    /// <summary>Official 'end'; delivers <see cref="EndEvent"/>.</summary>
    public static readonly ServerSocketEventName<EndEvent> End = new("end");
    /// <summary>Official 'error'; delivers <see cref="ErrorEvent"/>.</summary>
    public static readonly ServerSocketEventName<ErrorEvent> Error = new("error");
    /// <summary>Official 'message'; delivers <see cref="MessageEvent"/>.</summary>
    public static readonly ServerSocketEventName<MessageEvent> Message = new("message");
    /// <summary>Official 'raw'; delivers <see cref="RawEvent"/>.</summary>
    public static readonly ServerSocketEventName<RawEvent> Raw = new("raw");
    /// <summary>Official 'subscribe'; delivers <see cref="SubscribeEvent"/>.</summary>
    public static readonly ServerSocketEventName<SubscribeEvent> Subscribe = new("subscribe");
    /// <summary>Official 'unsubscribe'; delivers <see cref="UnsubscribeEvent"/>.</summary>
    public static readonly ServerSocketEventName<UnsubscribeEvent> Unsubscribe = new("unsubscribe");
    /// <summary>Official 'authenticate'; delivers <see cref="AuthenticateEvent"/>.</summary>
    public static readonly ServerSocketEventName<AuthenticateEvent> Authenticate = new("authenticate");
    /// <summary>Official 'deauthenticate'; delivers <see cref="DeauthenticateEvent"/>.</summary>
    public static readonly ServerSocketEventName<DeauthenticateEvent> Deauthenticate = new("deauthenticate");
    /// <summary>Official 'authStateChange'; delivers <see cref="AuthStateChangeEvent"/>.</summary>
    public static readonly ServerSocketEventName<AuthStateChangeEvent> AuthStateChange = new("authStateChange");
    /// <summary>Official 'authTokenSigned'; delivers <see cref="AuthTokenSignedEvent"/>.</summary>
    public static readonly ServerSocketEventName<AuthTokenSignedEvent> AuthTokenSigned = new("authTokenSigned");
    /// <summary>Official 'badAuthToken'; delivers <see cref="BadAuthTokenEvent"/>.</summary>
    public static readonly ServerSocketEventName<BadAuthTokenEvent> BadAuthToken = new("badAuthToken");
}
