namespace SocketCluster.Server.Middleware;

/// <summary>The middleware types of setMiddleware (MIDDLEWARE_HANDSHAKE, ...), with their official string values.</summary>
public static class MiddlewareTypes
{
    /// <summary>MIDDLEWARE_HANDSHAKE: HANDSHAKE_WS and HANDSHAKE_SC actions.</summary>
    public const string Handshake = "handshake";
    /// <summary>MIDDLEWARE_INBOUND_RAW: MESSAGE actions (every inbound message, before parsing).</summary>
    public const string InboundRaw = "inboundRaw";
    /// <summary>MIDDLEWARE_INBOUND: TRANSMIT, INVOKE, SUBSCRIBE, PUBLISH_IN and AUTHENTICATE actions.</summary>
    public const string Inbound = "inbound";
    /// <summary>MIDDLEWARE_OUTBOUND: PUBLISH_OUT actions (a publication about to go to a socket).</summary>
    public const string Outbound = "outbound";

    /// <summary>The four middleware types.</summary>
    public static IReadOnlyList<string> All { get; } = [Handshake, InboundRaw, Inbound, Outbound];
}

/// <summary>The action types (AGAction.HANDSHAKE_WS, ...), with their official string values.</summary>
public static class ActionTypes
{
    /// <summary>HANDSHAKE_WS: the WebSocket upgrade request.</summary>
    public const string HandshakeWS = "handshakeWS";
    /// <summary>HANDSHAKE_SC: the #handshake packet.</summary>
    public const string HandshakeSC = "handshakeSC";
    /// <summary>MESSAGE: an inbound message, raw.</summary>
    public const string Message = "message";
    /// <summary>TRANSMIT: an inbound transmit.</summary>
    public const string Transmit = "transmit";
    /// <summary>INVOKE: an inbound invoke (RPC).</summary>
    public const string Invoke = "invoke";
    /// <summary>SUBSCRIBE: a #subscribe.</summary>
    public const string Subscribe = "subscribe";
    /// <summary>PUBLISH_IN: a #publish from the client.</summary>
    public const string PublishIn = "publishIn";
    /// <summary>PUBLISH_OUT: a publication about to be delivered to the socket.</summary>
    public const string PublishOut = "publishOut";
    /// <summary>AUTHENTICATE: a #authenticate with a valid token.</summary>
    public const string Authenticate = "authenticate";
}
