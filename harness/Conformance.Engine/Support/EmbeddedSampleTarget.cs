using SocketCluster.Sample;

namespace Conformance.Engine.Support;

/// <summary>The embedded default: the C# reference sample (fixture app included) in-process on 127.0.0.1 with a free port.</summary>
public sealed class EmbeddedSampleTarget(EngineSettings settings) : IServerTarget
{
    private SampleServerHandle? _handle;

    /// <summary>The origins both fixture targets allow (the node fixture's --origins default is the same).</summary>
    public const string ConformanceOrigins = "127.0.0.1:* localhost:* null:*";

    public async Task<ServerEndpoint> StartAsync(CancellationToken cancellation)
    {
        _handle = await SampleServer.StartAsync(new SampleServerOptions
            {
                Port = 0,
                ProtocolVersion = settings.ProtocolVersion,
                // The hostile-input catalogue's origin check (HT-001): loopback pages and clients without Origin pass.
                ConfigureServer = o => o.Origins = ConformanceOrigins,
            }, cancellation)
            .ConfigureAwait(false);
        return new ServerEndpoint(_handle.WebSocketUrl, $"embedded C# reference sample at {_handle.WebSocketUrl}", settings.ProtocolVersion);
    }

    public async ValueTask DisposeAsync()
    {
        if (_handle is not null) await _handle.DisposeAsync().ConfigureAwait(false);
    }
}
