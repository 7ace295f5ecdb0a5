namespace Conformance.Engine.Support;

/// <summary>The embedded default: the C# reference sample (fixture app included) in-process on 127.0.0.1 with a free port.</summary>
public sealed class EmbeddedSampleTarget(EngineSettings settings) : IServerTarget
{
    private IEmbeddedServer? _server;

    /// <summary>The origins both fixture targets allow (the node fixture's --origins default is the same).</summary>
    public const string ConformanceOrigins = "127.0.0.1:* localhost:* null:*";

    public async Task<ServerEndpoint> StartAsync(CancellationToken cancellation)
    {
        // The hostile-input catalogue's origin check (HT-001): loopback pages and clients without Origin pass.
        _server = await EmbeddedServer.StartAsync(new EmbeddedServerOptions { ProtocolVersion = settings.ProtocolVersion, Origins = ConformanceOrigins }, cancellation)
            .ConfigureAwait(false);
        return new ServerEndpoint(_server.WebSocketUrl, $"embedded C# reference sample at {_server.WebSocketUrl}", settings.ProtocolVersion);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
    }
}
