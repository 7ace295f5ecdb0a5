using System.Text.Json;
using SocketCluster.Protocol;

namespace SocketCluster.Client;

/// <summary>
/// Names of the client socket's events, for <see cref="ClientSocket.Listener(string)"/>
/// (the official client's event names); channel listeners use the channel subset.
/// </summary>
public static class ClientEvents
{
    public const string Connecting = "connecting";
    public const string Connect = "connect";
    public const string ConnectAbort = "connectAbort";
    public const string Disconnect = "disconnect";
    public const string Close = "close";
    public const string Error = "error";
    public const string Message = "message";
    public const string Raw = "raw";
    public const string SubscribeRequest = "subscribeRequest";
    public const string Subscribe = "subscribe";
    public const string SubscribeFail = "subscribeFail";
    public const string SubscribeStateChange = "subscribeStateChange";
    public const string Unsubscribe = "unsubscribe";
    public const string KickOut = "kickOut";
    public const string AuthStateChange = "authStateChange";
    public const string Authenticate = "authenticate";
    public const string Deauthenticate = "deauthenticate";
    public const string RemoveAuthToken = "removeAuthToken";
}

/// <summary>Base of every event emitted on a client socket or channel listener.</summary>
public abstract record SocketEvent;

public sealed record ConnectingEvent : SocketEvent;

/// <summary>
/// The handshake status: the server's id, pingTimeout and verdict on the token, plus
/// <see cref="AuthToken"/>, the signed token the client sent (official status.authToken).
/// </summary>
public sealed record ConnectEvent(string? Id, TimeSpan PingTimeout, bool IsAuthenticated, ScError? AuthError,
    string? AuthToken, JsonElement? Status) : SocketEvent;

/// <summary>Closed before the handshake completed.</summary>
public sealed record ConnectAbortEvent(int Code, string? Reason) : SocketEvent;

/// <summary>Closed after the handshake completed.</summary>
public sealed record DisconnectEvent(int Code, string? Reason) : SocketEvent;

/// <summary>Any close, after connectAbort or disconnect.</summary>
public sealed record CloseEvent(int Code, string? Reason) : SocketEvent;

public sealed record ErrorEvent(Exception Error) : SocketEvent;

/// <summary>Every inbound frame, pings included (binary frames carry their bytes).</summary>
public sealed record MessageEvent(string Message, byte[]? Binary = null) : SocketEvent;

/// <summary>An inbound frame that is not a protocol packet.</summary>
public sealed record RawEvent(string Message, byte[]? Binary = null) : SocketEvent;

public sealed record SubscribeRequestEvent(string Channel, JsonElement SubscriptionOptions) : SocketEvent;

/// <summary>Channel is set on channel listeners too (the official objects leave it out there).</summary>
public sealed record SubscribeEvent(string Channel, JsonElement SubscriptionOptions) : SocketEvent;

public sealed record SubscribeFailEvent(string Channel, Exception Error, JsonElement SubscriptionOptions) : SocketEvent;

public sealed record SubscribeStateChangeEvent(string Channel, ChannelState OldChannelState,
    ChannelState NewChannelState, JsonElement? SubscriptionOptions) : SocketEvent;

public sealed record UnsubscribeEvent(string Channel) : SocketEvent;

/// <summary>Message is null when the server gave none.</summary>
public sealed record KickOutEvent(string Channel, JsonElement? Message) : SocketEvent;

public sealed record AuthStateChangeEvent(AuthState OldAuthState, AuthState NewAuthState,
    string? SignedAuthToken, JsonElement? AuthToken) : SocketEvent;

public sealed record AuthenticateEvent(string? SignedAuthToken, JsonElement? AuthToken) : SocketEvent;

public sealed record DeauthenticateEvent(string? OldSignedAuthToken, JsonElement? OldAuthToken) : SocketEvent;

/// <summary>OldAuthToken is the signed token that the store held.</summary>
public sealed record RemoveAuthTokenEvent(string? OldAuthToken) : SocketEvent;

/// <summary>An event with its name, as delivered by <see cref="ClientSocket.AllEvents"/>; Channel is set for channel listener events.</summary>
public sealed record NamedSocketEvent(string Name, SocketEvent Event, string? Channel = null);
