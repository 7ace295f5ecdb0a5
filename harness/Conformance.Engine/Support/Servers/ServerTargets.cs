namespace Conformance.Engine.Support;

/// <summary>A running server the suite talks to: its WebSocket URL (path /socketcluster/) and a description.</summary>
public sealed record ServerEndpoint(Uri WebSocketUrl, string Description, int ProtocolVersion)
{
    /// <summary>The same host and port at another path and query ("/socketcluster/?x=1").</summary>
    public Uri At(string pathAndQuery)
    {
        if (!pathAndQuery.StartsWith('/')) pathAndQuery = "/" + pathAndQuery;
        return new Uri($"{WebSocketUrl.Scheme}://{WebSocketUrl.Authority}{pathAndQuery}");
    }
}

/// <summary>A server under test that the harness may have to start and stop.</summary>
public interface IServerTarget : IAsyncDisposable
{
    Task<ServerEndpoint> StartAsync(CancellationToken cancellation);
}

/// <summary>An external server (SC_ENDPOINT / --endpoint): nothing to start.</summary>
public sealed class ExternalServerTarget(Uri endpoint, int protocolVersion) : IServerTarget
{
    public Task<ServerEndpoint> StartAsync(CancellationToken cancellation) =>
        Task.FromResult(new ServerEndpoint(endpoint, $"external endpoint {endpoint}", protocolVersion));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>An official Node fixture server started by the harness (SC_TARGET=official...).</summary>
public sealed class NodeServerTarget(EngineSettings settings, NodeFixtureSpec spec) : IServerTarget
{
    private NodeFixtureServer? _server;

    public async Task<ServerEndpoint> StartAsync(CancellationToken cancellation)
    {
        var arguments = spec.Script == "fixture-server.js" ? new[] { "--protocol", spec.ProtocolVersion.ToString() } : [];
        _server = await NodeFixtureServer.StartAsync(settings, spec.Script, arguments, cancellation).ConfigureAwait(false);
        return new ServerEndpoint(_server.WebSocketUrl, $"{spec.Description} at {_server.WebSocketUrl}", spec.ProtocolVersion);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
    }
}
