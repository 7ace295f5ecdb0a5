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

    public override string ToString() => Name;
}

/// <summary>A server socket event's official name, typed by its record; see <see cref="ServerEventName{TEvent}"/>.</summary>
public sealed class ServerSocketEventName<TEvent> where TEvent : ServerEvent
{
    internal ServerSocketEventName(string name) => Name = name;

    /// <summary>The official event name, e.g. "disconnect".</summary>
    public string Name { get; }

    public override string ToString() => Name;
}

/// <summary>
/// The server's events (the official agServer.listener names), for <see cref="SocketClusterServer.Listener{TEvent}"/>:
/// <c>await foreach (var e in server.Listener(ServerEvents.Connection))</c> gives <see cref="ConnectionEvent"/>s.
/// </summary>
public static class ServerEvents
{
    public static readonly ServerEventName<ConnectionEvent> Connection = new("connection");
    public static readonly ServerEventName<HandshakeEvent> Handshake = new("handshake");
    public static readonly ServerEventName<ConnectionAbortEvent> ConnectionAbort = new("connectionAbort");
    public static readonly ServerEventName<DisconnectionEvent> Disconnection = new("disconnection");
    public static readonly ServerEventName<ClosureEvent> Closure = new("closure");
    public static readonly ServerEventName<SubscriptionEvent> Subscription = new("subscription");
    public static readonly ServerEventName<UnsubscriptionEvent> Unsubscription = new("unsubscription");
    public static readonly ServerEventName<AuthenticationEvent> Authentication = new("authentication");
    public static readonly ServerEventName<DeauthenticationEvent> Deauthentication = new("deauthentication");
    public static readonly ServerEventName<AuthenticationStateChangeEvent> AuthenticationStateChange = new("authenticationStateChange");
    public static readonly ServerEventName<BadSocketAuthTokenEvent> BadSocketAuthToken = new("badSocketAuthToken");
    public static readonly ServerEventName<ErrorEvent> Error = new("error");
    public static readonly ServerEventName<WarningEvent> Warning = new("warning");
}

/// <summary>
/// A server socket's events (the official socket.listener names), for <see cref="ServerSocket.Listener{TEvent}"/>:
/// <c>socket.Listener(ServerSocketEvents.Disconnect)</c> gives <see cref="DisconnectEvent"/>s.
/// </summary>
public static class ServerSocketEvents
{
    public static readonly ServerSocketEventName<ConnectEvent> Connect = new("connect");
    public static readonly ServerSocketEventName<ConnectAbortEvent> ConnectAbort = new("connectAbort");
    public static readonly ServerSocketEventName<DisconnectEvent> Disconnect = new("disconnect");
    public static readonly ServerSocketEventName<CloseEvent> Close = new("close");
    public static readonly ServerSocketEventName<EndEvent> End = new("end");
    public static readonly ServerSocketEventName<ErrorEvent> Error = new("error");
    public static readonly ServerSocketEventName<MessageEvent> Message = new("message");
    public static readonly ServerSocketEventName<RawEvent> Raw = new("raw");
    public static readonly ServerSocketEventName<SubscribeEvent> Subscribe = new("subscribe");
    public static readonly ServerSocketEventName<UnsubscribeEvent> Unsubscribe = new("unsubscribe");
    public static readonly ServerSocketEventName<AuthenticateEvent> Authenticate = new("authenticate");
    public static readonly ServerSocketEventName<DeauthenticateEvent> Deauthenticate = new("deauthenticate");
    public static readonly ServerSocketEventName<AuthStateChangeEvent> AuthStateChange = new("authStateChange");
    public static readonly ServerSocketEventName<AuthTokenSignedEvent> AuthTokenSigned = new("authTokenSigned");
    public static readonly ServerSocketEventName<BadAuthTokenEvent> BadAuthToken = new("badAuthToken");
}
