using Conformance.Engine.Support;
using SocketCluster.Sample.Fixture;

namespace Conformance.Cli;

/// <summary>
/// The embedded C# reference sample (reference/SocketCluster.Sample, which hosts the fixture app) as the server
/// under test: the gate's default target when no --endpoint is given. Started in-process on 127.0.0.1:0.
/// </summary>
public sealed class EmbeddedSampleTarget(EngineSettings settings) : IServerTarget
{
    private SampleServerHandle? _handle;

    public async Task<ServerEndpoint> StartAsync(CancellationToken cancellation)
    {
        _handle = await SampleServer.StartAsync(o => o.ProtocolVersion = settings.ProtocolVersion, cancellationToken: cancellation);
        return new ServerEndpoint(_handle.WebSocketUrl, $"embedded C# reference sample at {_handle.WebSocketUrl}", settings.ProtocolVersion);
    }

    public async ValueTask DisposeAsync()
    {
        if (_handle is not null) await _handle.DisposeAsync();
    }
}
