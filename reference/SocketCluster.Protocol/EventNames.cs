namespace SocketCluster.Protocol;

/// <summary>The reserved event names of protocol v2 (EV-017). In v1 every name starting with '#' was reserved.</summary>
public static class EventNames
{
    /// <summary>#handshake: the client's first packet; its response is the handshake status.</summary>
    public const string Handshake = "#handshake";
    /// <summary>#publish: publishes to a channel (client to server) or delivers a publication (server to client).</summary>
    public const string Publish = "#publish";
    /// <summary>#subscribe: subscribes to a channel.</summary>
    public const string Subscribe = "#subscribe";
    /// <summary>#unsubscribe: unsubscribes from a channel.</summary>
    public const string Unsubscribe = "#unsubscribe";
    /// <summary>#kickOut: the server removed the socket from a channel.</summary>
    public const string KickOut = "#kickOut";
    /// <summary>#authenticate: the client presents a signed auth token.</summary>
    public const string Authenticate = "#authenticate";
    /// <summary>#setAuthToken: the server gives the client a signed auth token.</summary>
    public const string SetAuthToken = "#setAuthToken";
    /// <summary>#removeAuthToken: the server tells the client to drop its token.</summary>
    public const string RemoveAuthToken = "#removeAuthToken";

    /// <summary>v1 only: sent before closing by peers up to v14; a v2 server treats it as an ordinary transmit.</summary>
    public const string Disconnect = "#disconnect";

    /// <summary>The names a peer may not use for its own events in v2 (all but #disconnect above).</summary>
    public static IReadOnlySet<string> Reserved { get; } = new HashSet<string>
    {
        Handshake, Publish, Subscribe, Unsubscribe, KickOut, Authenticate, SetAuthToken, RemoveAuthToken,
    };
}
