using System.Text.Json;
using System.Text.Json.Nodes;
using SocketCluster.Protocol;

namespace SocketCluster.Server;

/// <summary>
/// Base of every server and server socket event. Each event is its own record with the fields of the official
/// event object (digest §4, §8): <c>Listener(ServerEvents.X)</c> / <c>Listener(ServerSocketEvents.X)</c> deliver that
/// record; <c>Listener("name")</c>, which mirrors the official API, delivers the same records typed as
/// <see cref="ServerEvent"/> (match them with <c>is ConnectionEvent c</c>).
/// </summary>
public abstract record ServerEvent;

// Server events (agServer.listener): each names its socket.

/// <summary>'connection': a socket completed its handshake; the fields are the handshake status sent to it.</summary>
public sealed record ConnectionEvent(ServerSocket Socket, string Id, TimeSpan PingTimeout, bool IsAuthenticated, ScError? AuthError) : ServerEvent;

/// <summary>'handshake': a WebSocket was accepted; the socket is still in its handshake.</summary>
public sealed record HandshakeEvent(ServerSocket Socket) : ServerEvent;

/// <summary>'connectionAbort': a socket closed before its handshake completed.</summary>
public sealed record ConnectionAbortEvent(ServerSocket Socket, int Code, string? Reason) : ServerEvent;

/// <summary>'disconnection': a socket closed after its handshake completed.</summary>
public sealed record DisconnectionEvent(ServerSocket Socket, int Code, string? Reason) : ServerEvent;

/// <summary>'closure': any socket close, after connectionAbort or disconnection.</summary>
public sealed record ClosureEvent(ServerSocket Socket, int Code, string? Reason) : ServerEvent;

public sealed record SubscriptionEvent(ServerSocket Socket, string Channel, JsonObject SubscriptionOptions) : ServerEvent;

public sealed record UnsubscriptionEvent(ServerSocket Socket, string Channel) : ServerEvent;

public sealed record AuthenticationEvent(ServerSocket Socket, JsonElement? AuthToken) : ServerEvent;

public sealed record DeauthenticationEvent(ServerSocket Socket, JsonElement? OldAuthToken) : ServerEvent;

/// <summary>AuthToken is set when the new state is authenticated.</summary>
public sealed record AuthenticationStateChangeEvent(ServerSocket Socket, AuthState OldAuthState, AuthState NewAuthState, JsonElement? AuthToken) : ServerEvent;

/// <summary>A socket presented a token that failed verification (the connection goes on, unauthenticated).</summary>
public sealed record BadSocketAuthTokenEvent(ServerSocket Socket, ScError AuthError, string? SignedAuthToken) : ServerEvent;

/// <summary>'error' on the server or on a socket.</summary>
public sealed record ErrorEvent(Exception Error) : ServerEvent;

/// <summary>'warning': e.g. a blocked middleware action, a slow consumer, a broker failure.</summary>
public sealed record WarningEvent(Exception Warning) : ServerEvent;

// Server socket events (socket.listener).

/// <summary>'connect': the handshake status sent to the client.</summary>
public sealed record ConnectEvent(string Id, TimeSpan PingTimeout, bool IsAuthenticated, ScError? AuthError) : ServerEvent;

public sealed record ConnectAbortEvent(int Code, string? Reason) : ServerEvent;

public sealed record DisconnectEvent(int Code, string? Reason) : ServerEvent;

public sealed record CloseEvent(int Code, string? Reason) : ServerEvent;

/// <summary>'end': the socket's last event, after its channels are released.</summary>
public sealed record EndEvent : ServerEvent;

/// <summary>'message': every inbound message, as text.</summary>
public sealed record MessageEvent(string Message) : ServerEvent;

/// <summary>'raw': an inbound message that is not a protocol packet.</summary>
public sealed record RawEvent(string Message) : ServerEvent;

public sealed record SubscribeEvent(string Channel, JsonObject SubscriptionOptions) : ServerEvent;

public sealed record UnsubscribeEvent(string Channel) : ServerEvent;

public sealed record AuthenticateEvent(JsonElement? AuthToken) : ServerEvent;

public sealed record DeauthenticateEvent(JsonElement? OldAuthToken) : ServerEvent;

/// <summary>AuthToken is set when the new state is authenticated.</summary>
public sealed record AuthStateChangeEvent(AuthState OldAuthState, AuthState NewAuthState, JsonElement? AuthToken) : ServerEvent;

public sealed record AuthTokenSignedEvent(string SignedAuthToken) : ServerEvent;

public sealed record BadAuthTokenEvent(ScError AuthError, string? SignedAuthToken) : ServerEvent;
