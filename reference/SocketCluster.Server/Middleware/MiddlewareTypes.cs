namespace SocketCluster.Server.Middleware;

/// <summary>The middleware types of setMiddleware (MIDDLEWARE_HANDSHAKE, ...), with their official string values.</summary>
public static class MiddlewareTypes
{
    public const string Handshake = "handshake";
    public const string InboundRaw = "inboundRaw";
    public const string Inbound = "inbound";
    public const string Outbound = "outbound";

    public static IReadOnlyList<string> All { get; } = [Handshake, InboundRaw, Inbound, Outbound];
}

/// <summary>The action types (AGAction.HANDSHAKE_WS, ...), with their official string values.</summary>
public static class ActionTypes
{
    public const string HandshakeWS = "handshakeWS";
    public const string HandshakeSC = "handshakeSC";
    public const string Message = "message";
    public const string Transmit = "transmit";
    public const string Invoke = "invoke";
    public const string Subscribe = "subscribe";
    public const string PublishIn = "publishIn";
    public const string PublishOut = "publishOut";
    public const string Authenticate = "authenticate";
}
