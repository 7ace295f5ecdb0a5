namespace SocketCluster.Server;

/// <summary>
/// Names of the server's and server sockets' events (the official names), for <see cref="SocketClusterServer.Listener"/>
/// and <see cref="ServerSocket.Listener"/>, so a misspelt name is a compile error rather than a listener that never fires.
/// </summary>
public static class ServerEvents
{
    // Server (agServer.listener(...)).
    public const string Connection = "connection";
    public const string Handshake = "handshake";
    public const string ConnectionAbort = "connectionAbort";
    public const string Disconnection = "disconnection";
    public const string Closure = "closure";
    public const string Subscription = "subscription";
    public const string Unsubscription = "unsubscription";
    public const string Authentication = "authentication";
    public const string Deauthentication = "deauthentication";
    public const string AuthenticationStateChange = "authenticationStateChange";
    public const string BadSocketAuthToken = "badSocketAuthToken";
    public const string Error = "error";
    public const string Warning = "warning";

    // Server socket (socket.listener(...)).
    public const string Connect = "connect";
    public const string ConnectAbort = "connectAbort";
    public const string Disconnect = "disconnect";
    public const string Close = "close";
    public const string End = "end";
    public const string Message = "message";
    public const string Raw = "raw";
    public const string Subscribe = "subscribe";
    public const string Unsubscribe = "unsubscribe";
    public const string Authenticate = "authenticate";
    public const string Deauthenticate = "deauthenticate";
    public const string AuthStateChange = "authStateChange";
    public const string AuthTokenSigned = "authTokenSigned";
    public const string BadAuthToken = "badAuthToken";
}
