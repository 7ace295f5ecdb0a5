namespace Conformance.Engine.Support;

/// <summary>The embedded default: the C# reference sample (fixture app included) in-process on 127.0.0.1 with a free port.</summary>
public sealed class EmbeddedSampleTarget(EngineSettings settings) : IServerTarget
{
    private IEmbeddedServer? _server;

    public async Task<ServerEndpoint> StartAsync(CancellationToken cancellation)
    {
        _server = await EmbeddedServer.StartAsync(new EmbeddedServerOptions { ProtocolVersion = settings.ProtocolVersion }, cancellation)
            .ConfigureAwait(false);
        return new ServerEndpoint(_server.WebSocketUrl, $"embedded C# reference sample at {_server.WebSocketUrl}", settings.ProtocolVersion);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
    }
}
