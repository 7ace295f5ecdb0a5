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

    /// <summary>Returns <see cref="Name"/>.</summary>
    public override string ToString() => Name;

    /// <summary>The official event name (null for a null name), for the string-based APIs.</summary>
    public static implicit operator string(ClientEventName<TEvent> eventName) => eventName?.Name!;
}

/// <summary>
/// Names of the client socket's events (the official client's event names), typed by their records, for
/// <see cref="ClientSocket.Listener{TEvent}(ClientEventName{TEvent})"/>; channel listeners use the channel subset.
/// </summary>
public static class ClientEvents
{
    /// <summary>Official 'connecting': a connection attempt starts.</summary>
    public static readonly ClientEventName<ConnectingEvent> Connecting = new("connecting");
    /// <summary>Official 'connect': the handshake succeeded.</summary>
    public static readonly ClientEventName<ConnectEvent> Connect = new("connect");
    /// <summary>Official 'connectAbort': the socket closed before the handshake completed.</summary>
    public static readonly ClientEventName<ConnectAbortEvent> ConnectAbort = new("connectAbort");
    /// <summary>Official 'disconnect': the socket closed after the handshake completed.</summary>
    public static readonly ClientEventName<DisconnectEvent> Disconnect = new("disconnect");
    /// <summary>Official 'close': any close, after connectAbort or disconnect.</summary>
    public static readonly ClientEventName<CloseEvent> Close = new("close");
    /// <summary>Official 'error': a socket error (failed invoke/handshake, bad frame, handler exception...).</summary>
    public static readonly ClientEventName<ErrorEvent> Error = new("error");
    /// <summary>Official 'message': every inbound frame, pings included.</summary>
    public static readonly ClientEventName<MessageEvent> Message = new("message");
    /// <summary>Official 'raw': an inbound frame that is not a protocol packet.</summary>
    public static readonly ClientEventName<RawEvent> Raw = new("raw");
    /// <summary>Official 'subscribeRequest': a #subscribe request is sent.</summary>
    public static readonly ClientEventName<SubscribeRequestEvent> SubscribeRequest = new("subscribeRequest");
    /// <summary>Official 'subscribe': the server accepted a subscription.</summary>
    public static readonly ClientEventName<SubscribeEvent> Subscribe = new("subscribe");
    /// <summary>Official 'subscribeFail': the server rejected a subscription.</summary>
    public static readonly ClientEventName<SubscribeFailEvent> SubscribeFail = new("subscribeFail");
    /// <summary>Official 'subscribeStateChange': a channel's state changed.</summary>
    public static readonly ClientEventName<SubscribeStateChangeEvent> SubscribeStateChange = new("subscribeStateChange");
    /// <summary>Official 'unsubscribe': a channel left the subscribed/pending state.</summary>
    public static readonly ClientEventName<UnsubscribeEvent> Unsubscribe = new("unsubscribe");
    /// <summary>Official 'kickOut': the server kicked the socket out of a channel.</summary>
    public static readonly ClientEventName<KickOutEvent> KickOut = new("kickOut");
    /// <summary>Official 'authStateChange': the auth state changed.</summary>
    public static readonly ClientEventName<AuthStateChangeEvent> AuthStateChange = new("authStateChange");
    /// <summary>Official 'authenticate': a new auth token was accepted.</summary>
    public static readonly ClientEventName<AuthenticateEvent> Authenticate = new("authenticate");
    /// <summary>Official 'deauthenticate': the auth token was removed.</summary>
    public static readonly ClientEventName<DeauthenticateEvent> Deauthenticate = new("deauthenticate");
    /// <summary>Official 'removeAuthToken': the token store's token was removed.</summary>
    public static readonly ClientEventName<RemoveAuthTokenEvent> RemoveAuthToken = new("removeAuthToken");
}

/// <summary>Base of every event emitted on a client socket or channel listener.</summary>
public abstract record SocketEvent;

/// <summary>A connection attempt starts (official 'connecting').</summary>
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

/// <summary>An error on the socket (official 'error').</summary>
/// <param name="Error">The error; an <see cref="ScError"/> when it came from the protocol.</param>
public sealed record ErrorEvent(Exception Error) : SocketEvent;

/// <summary>Every inbound frame, pings included (binary frames carry their bytes).</summary>
public sealed record MessageEvent(string Message, byte[]? Binary = null) : SocketEvent;

/// <summary>An inbound frame that is not a protocol packet.</summary>
public sealed record RawEvent(string Message, byte[]? Binary = null) : SocketEvent;

/// <summary>A #subscribe request is being sent (official 'subscribeRequest').</summary>
/// <param name="Channel">The channel name.</param>
/// <param name="SubscriptionOptions">The options given to Subscribe (official subscriptionOptions).</param>
public sealed record SubscribeRequestEvent(string Channel, JsonElement SubscriptionOptions) : SocketEvent;

/// <summary>Channel is set on channel listeners too (the official objects leave it out there).</summary>
public sealed record SubscribeEvent(string Channel, JsonElement SubscriptionOptions) : SocketEvent;

/// <summary>The server rejected a subscription (official 'subscribeFail').</summary>
/// <param name="Channel">The channel name.</param>
/// <param name="Error">The server's error (an <see cref="ScError"/>) or the local cause.</param>
/// <param name="SubscriptionOptions">The options given to Subscribe.</param>
public sealed record SubscribeFailEvent(string Channel, Exception Error, JsonElement SubscriptionOptions) : SocketEvent;

/// <summary>A channel's state changed (official 'subscribeStateChange').</summary>
/// <param name="Channel">The channel name.</param>
/// <param name="OldChannelState">The state before.</param>
/// <param name="NewChannelState">The state after.</param>
/// <param name="SubscriptionOptions">The subscription's options, when known.</param>
public sealed record SubscribeStateChangeEvent(string Channel, ChannelState OldChannelState,
    ChannelState NewChannelState, JsonElement? SubscriptionOptions) : SocketEvent;

/// <summary>A channel was unsubscribed (official 'unsubscribe').</summary>
/// <param name="Channel">The channel name.</param>
public sealed record UnsubscribeEvent(string Channel) : SocketEvent;

/// <summary>Message is null when the server gave none.</summary>
public sealed record KickOutEvent(string Channel, JsonElement? Message) : SocketEvent;

/// <summary>The auth state changed (official 'authStateChange').</summary>
/// <param name="OldAuthState">The state before.</param>
/// <param name="NewAuthState">The state after.</param>
/// <param name="SignedAuthToken">The signed token when now authenticated, else null.</param>
/// <param name="AuthToken">The token's decoded payload when now authenticated, else null.</param>
public sealed record AuthStateChangeEvent(AuthState OldAuthState, AuthState NewAuthState,
    string? SignedAuthToken, JsonElement? AuthToken) : SocketEvent;

/// <summary>A new auth token was accepted (official 'authenticate').</summary>
/// <param name="SignedAuthToken">The signed token.</param>
/// <param name="AuthToken">Its decoded payload.</param>
public sealed record AuthenticateEvent(string? SignedAuthToken, JsonElement? AuthToken) : SocketEvent;

/// <summary>The auth token was removed (official 'deauthenticate').</summary>
/// <param name="OldSignedAuthToken">The signed token removed.</param>
/// <param name="OldAuthToken">Its decoded payload.</param>
public sealed record DeauthenticateEvent(string? OldSignedAuthToken, JsonElement? OldAuthToken) : SocketEvent;

/// <summary>OldAuthToken is the signed token that the store held.</summary>
public sealed record RemoveAuthTokenEvent(string? OldAuthToken) : SocketEvent;

/// <summary>An event with its name, as delivered by <see cref="ClientSocket.AllEvents"/>; Channel is set for channel listener events.</summary>
public sealed record NamedSocketEvent(string Name, SocketEvent Event, string? Channel = null);
