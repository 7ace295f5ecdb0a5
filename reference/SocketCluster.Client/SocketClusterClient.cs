using SocketCluster.Protocol;

namespace SocketCluster.Client;

/// <summary>Entry point, as the official socketClusterClient.create(options).</summary>
public static class SocketClusterClient
{
    /// <summary>
    /// Creates a client socket. With AutoConnect (the default) it is already 'connecting' when this returns.
    /// </summary>
    /// <exception cref="ScError">InvalidArgumentsError: an option is out of range (e.g. BatchInterval).</exception>
    public static ClientSocket Create(ClientOptions? options = null) => new(options ?? new ClientOptions());

    /// <summary>
    /// Creates a client socket for a URL such as <c>ws://localhost:8000/socketcluster/</c>: its scheme (ws, wss, http,
    /// https), host, port, path and query become <see cref="ClientOptions.Hostname"/>, <see cref="ClientOptions.Port"/>,
    /// <see cref="ClientOptions.Secure"/>, <see cref="ClientOptions.Path"/> and <see cref="ClientOptions.Query"/> of
    /// <paramref name="options"/> (or of the defaults).
    /// </summary>
    /// <exception cref="ArgumentException">The URL is not absolute or its scheme is not ws, wss, http or https.</exception>
    /// <exception cref="ScError">InvalidArgumentsError: an option is out of range.</exception>
    public static ClientSocket Create(string url, ClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            throw new ArgumentException($"'{url}' is not an absolute URL such as ws://localhost:8000/socketcluster/.", nameof(url));
        return Create(uri, options);
    }

    /// <inheritdoc cref="Create(string, ClientOptions?)"/>
    public static ClientSocket Create(Uri url, ClientOptions? options = null) => Create(ClientOptions.FromUrl(url, options));
}
