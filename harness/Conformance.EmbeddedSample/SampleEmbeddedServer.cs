using Conformance.Engine.Support;
using SocketCluster.Sample.Fixture;
using SocketCluster.Server.Redis;

namespace Conformance.EmbeddedSample;

/// <summary>The C# reference sample (reference/SocketCluster.Sample, fixture app included) as the engine's embedded server.</summary>
public static class SampleEmbeddedServer
{
    /// <summary>Makes the sample the engine's embedded server unless the host registered another one.</summary>
    public static void Register() => EmbeddedServer.Factory ??= StartAsync;

    /// <summary>Starts the sample with the contract's defaults (spec/fixture-app.md §3) and the options the engine set on top.</summary>
    public static async Task<IEmbeddedServer> StartAsync(EmbeddedServerOptions options, CancellationToken cancellation)
    {
        var handle = await SampleServer.StartAsync(o =>
        {
            o.ProtocolVersion = options.ProtocolVersion;
            if (options.PingInterval is { } pingInterval) o.PingInterval = pingInterval;
            if (options.PingTimeout is { } pingTimeout) o.PingTimeout = pingTimeout;
            if (options.AckTimeout is { } ackTimeout) o.AckTimeout = ackTimeout;
            if (options.HandshakeTimeout is { } handshakeTimeout) o.HandshakeTimeout = handshakeTimeout;
            if (options.BatchOnHandshakeDuration is { } duration) o.BatchOnHandshakeDuration = duration;
            if (options.BatchInterval is { } batchInterval) o.BatchInterval = batchInterval;
            if (options.PingTimeoutDisabled is { } pingTimeoutDisabled) o.PingTimeoutDisabled = pingTimeoutDisabled;
            if (options.BatchOnHandshake is { } batchOnHandshake) o.BatchOnHandshake = batchOnHandshake;
            if (options.StrictHandshake is { } strictHandshake) o.StrictHandshake = strictHandshake;
        }, options.Port, cancellationToken: cancellation, redis: options.Redis).ConfigureAwait(false);
        return new Running(handle);
    }

    private sealed class Running(SampleServerHandle handle) : IEmbeddedServer
    {
        public Uri WebSocketUrl => handle.WebSocketUrl;

        public int Port => handle.Port;

        public bool BrokerConnected => handle.Server.Broker is not RedisBroker redis || redis.IsConnected;

        public ValueTask DisposeAsync() => handle.DisposeAsync();
    }
}
