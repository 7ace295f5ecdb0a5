namespace SocketCluster.Protocol;

/// <summary>The reserved event names of protocol v2 (EV-017). In v1 every name starting with '#' was reserved.</summary>
public static class EventNames
{
    public const string Handshake = "#handshake";
    public const string Publish = "#publish";
    public const string Subscribe = "#subscribe";
    public const string Unsubscribe = "#unsubscribe";
    public const string KickOut = "#kickOut";
    public const string Authenticate = "#authenticate";
    public const string SetAuthToken = "#setAuthToken";
    public const string RemoveAuthToken = "#removeAuthToken";

    /// <summary>v1 only: sent before closing by peers up to v14; a v2 server treats it as an ordinary transmit.</summary>
    public const string Disconnect = "#disconnect";

    public static IReadOnlySet<string> Reserved { get; } = new HashSet<string>
    {
        Handshake, Publish, Subscribe, Unsubscribe, KickOut, Authenticate, SetAuthToken, RemoveAuthToken,
    };
}
