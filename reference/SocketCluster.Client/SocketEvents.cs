using System.Text.Json;
using SocketCluster.Protocol;

namespace SocketCluster.Client;

/// <summary>
/// A client event's official name, typed by the record it delivers: <c>socket.Listener(ClientEvents.Connect)</c> is a
/// stream of <see cref="ConnectEvent"/>, and a misspelt name does not compile. Converts to the name string for the
/// string-based APIs (<c>Listener("connect")</c> mirrors the official API and gives the records as <see cref="SocketEvent"/>).
/// </summary>
public sealed class ClientEventName<TEvent> where TEvent : SocketEvent
{
    internal ClientEventName(string name) => Name = name;

    /// <summary>The official event name, e.g. "connect".</summary>
    public string Name { get; }

    public override string ToString() => Name;

    public static implicit operator string(ClientEventName<TEvent> eventName) => eventName?.Name!;
}

/// <summary>
/// Names of the client socket's events (the official client's event names), typed by their records, for
/// <see cref="ClientSocket.Listener{TEvent}(ClientEventName{TEvent})"/>; channel listeners use the channel subset.
/// </summary>
public static class ClientEvents
{
    public static readonly ClientEventName<ConnectingEvent> Connecting = new("connecting");
    public static readonly ClientEventName<ConnectEvent> Connect = new("connect");
    public static readonly ClientEventName<ConnectAbortEvent> ConnectAbort = new("connectAbort");
    public static readonly ClientEventName<DisconnectEvent> Disconnect = new("disconnect");
    public static readonly ClientEventName<CloseEvent> Close = new("close");
    public static readonly ClientEventName<ErrorEvent> Error = new("error");
    public static readonly ClientEventName<MessageEvent> Message = new("message");
    public static readonly ClientEventName<RawEvent> Raw = new("raw");
    public static readonly ClientEventName<SubscribeRequestEvent> SubscribeRequest = new("subscribeRequest");
    public static readonly ClientEventName<SubscribeEvent> Subscribe = new("subscribe");
    public static readonly ClientEventName<SubscribeFailEvent> SubscribeFail = new("subscribeFail");
    public static readonly ClientEventName<SubscribeStateChangeEvent> SubscribeStateChange = new("subscribeStateChange");
    public static readonly ClientEventName<UnsubscribeEvent> Unsubscribe = new("unsubscribe");
    public static readonly ClientEventName<KickOutEvent> KickOut = new("kickOut");
    public static readonly ClientEventName<AuthStateChangeEvent> AuthStateChange = new("authStateChange");
    public static readonly ClientEventName<AuthenticateEvent> Authenticate = new("authenticate");
    public static readonly ClientEventName<DeauthenticateEvent> Deauthenticate = new("deauthenticate");
    public static readonly ClientEventName<RemoveAuthTokenEvent> RemoveAuthToken = new("removeAuthToken");
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
