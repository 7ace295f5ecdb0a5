namespace SocketCluster.Server;

/// <summary>A server socket's connection state; it only moves forward: Connecting → Open → Closed, or Connecting → Closed.</summary>
public enum SocketState
{
    Connecting,
    Open,
    Closed,
}

/// <summary>A server socket's authentication state.</summary>
public enum AuthState
{
    Unauthenticated,
    Authenticated,
}

/// <summary>The official string forms ('connecting', 'open', 'closed', 'authenticated', 'unauthenticated').</summary>
public static class SocketStateNames
{
    public static string ToWire(this SocketState state) => state switch
    {
        SocketState.Connecting => "connecting",
        SocketState.Open => "open",
        _ => "closed",
    };

    public static string ToWire(this AuthState state) =>
        state == AuthState.Authenticated ? "authenticated" : "unauthenticated";
}
