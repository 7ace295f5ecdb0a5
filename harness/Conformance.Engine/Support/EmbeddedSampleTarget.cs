using SocketCluster.Sample.Fixture;

namespace Conformance.Engine.Support;

/// <summary>The embedded default: the C# reference sample (fixture app included) in-process on 127.0.0.1 with a free port.</summary>
public sealed class EmbeddedSampleTarget(EngineSettings settings) : IServerTarget
{
    private SampleServerHandle? _handle;

    public async Task<ServerEndpoint> StartAsync(CancellationToken cancellation)
    {
        _handle = await SampleServer.StartAsync(o => o.ProtocolVersion = settings.ProtocolVersion, cancellationToken: cancellation)
            .ConfigureAwait(false);
        return new ServerEndpoint(_handle.WebSocketUrl, $"embedded C# reference sample at {_handle.WebSocketUrl}", settings.ProtocolVersion);
    }

    public async ValueTask DisposeAsync()
    {
        if (_handle is not null) await _handle.DisposeAsync().ConfigureAwait(false);
    }
}
