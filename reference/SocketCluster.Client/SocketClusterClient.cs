namespace SocketCluster.Client;

/// <summary>Entry point, as the official socketClusterClient.create(options).</summary>
public static class SocketClusterClient
{
    /// <summary>
    /// Creates a client socket. With AutoConnect (the default) it is already 'connecting' when this returns.
    /// Invalid options throw an ScError InvalidArgumentsError.
    /// </summary>
    public static ClientSocket Create(ClientOptions? options = null) => new(options ?? new ClientOptions());
}
