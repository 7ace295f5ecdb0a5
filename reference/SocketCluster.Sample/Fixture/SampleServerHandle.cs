using Microsoft.AspNetCore.Builder;
using SocketCluster.Server;
using SocketCluster.Server.Options;

namespace SocketCluster.Sample.Fixture;

/// <summary>A running sample app: its URLs and server; disposing stops it.</summary>
public sealed class SampleServerHandle : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    internal SampleServerHandle(WebApplication app, SocketClusterServer server, Uri httpUrl)
    {
        _app = app;
        Server = server;
        HttpUrl = httpUrl;
        WebSocketUrl = new Uri($"ws://{httpUrl.Host}:{httpUrl.Port}{server.Options.Path}");
    }

    /// <summary>e.g. http://127.0.0.1:41234/</summary>
    public Uri HttpUrl { get; }

    /// <summary>e.g. ws://127.0.0.1:41234/socketcluster/</summary>
    public Uri WebSocketUrl { get; }

    public int Port => HttpUrl.Port;

    public SocketClusterServer Server { get; }

    /// <summary>The server options in force.</summary>
    public SocketClusterServerOptions Options => Server.Options;

    /// <summary>Completes when the app stops (Ctrl+C, or disposal).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Terminates every socket (no close frame: clients see 1006, as when a process dies), then stops the app.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Server.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
