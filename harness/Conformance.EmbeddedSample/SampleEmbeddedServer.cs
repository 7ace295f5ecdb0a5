using Conformance.Engine.Support;
using SocketCluster.Sample;
using SocketCluster.Server.Redis;

namespace Conformance.EmbeddedSample;

/// <summary>The C# reference sample (reference/SocketCluster.Sample, fixture app included) as the engine's embedded server.</summary>
public static class SampleEmbeddedServer
{
    /// <summary>Makes the sample the engine's embedded server unless the host registered another one.</summary>
    public static void Register() => EmbeddedServer.Factory ??= StartAsync;

    public static async Task<IEmbeddedServer> StartAsync(EmbeddedServerOptions options, CancellationToken cancellation)
    {
        var defaults = new SampleServerOptions();
        var sample = defaults with
        {
            Port = options.Port,
            ProtocolVersion = options.ProtocolVersion,
            PingInterval = options.PingInterval ?? defaults.PingInterval,
            PingTimeout = options.PingTimeout ?? defaults.PingTimeout,
            AckTimeout = options.AckTimeout ?? defaults.AckTimeout,
            HandshakeTimeout = options.HandshakeTimeout ?? defaults.HandshakeTimeout,
            BatchOnHandshakeDuration = options.BatchOnHandshakeDuration ?? defaults.BatchOnHandshakeDuration,
            BatchInterval = options.BatchInterval ?? defaults.BatchInterval,
            PingTimeoutDisabled = options.PingTimeoutDisabled ?? defaults.PingTimeoutDisabled,
            BatchOnHandshake = options.BatchOnHandshake ?? defaults.BatchOnHandshake,
            StrictHandshake = options.StrictHandshake ?? defaults.StrictHandshake,
            Redis = options.Redis,
        };
        return new Running(await SampleServer.StartAsync(sample, cancellation).ConfigureAwait(false));
    }

    private sealed class Running(SampleServerHandle handle) : IEmbeddedServer
    {
        public Uri WebSocketUrl => handle.WebSocketUrl;

        public int Port => handle.Port;

        public bool BrokerConnected => handle.Server.Broker is not RedisBroker redis || redis.IsConnected;

        public ValueTask DisposeAsync() => handle.DisposeAsync();
    }
}
