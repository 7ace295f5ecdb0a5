using System.Text.Json;
using SocketCluster.Protocol;
using SocketCluster.Protocol.Streams;

namespace SocketCluster.Server.Broker;

/// <summary>
/// The server's exchange (agServer.exchange): publishes to every subscriber of a channel through the broker,
/// and holds server-side subscriptions. Exchange publishes skip PUBLISH_IN but each socket's delivery passes
/// PUBLISH_OUT.
/// </summary>
public sealed class Exchange : IBrokerSubscriber
{
    private readonly IBroker _broker;
    private readonly StreamDemux<JsonElement?> _channelData;
    private readonly HashSet<string> _subscriptions = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    internal Exchange(IBroker broker, int streamCapacity)
    {
        _broker = broker;
        _channelData = new StreamDemux<JsonElement?>(streamCapacity);
    }

    public string Id => "exchange";

    public IBroker Broker => _broker;

    /// <summary>Publishes without waiting for the broker (the seed's agServer.exchange.transmitPublish).</summary>
    public void TransmitPublish(string channel, object? data) => _broker.TransmitPublish(channel, ScCodec.ToData(data));

    /// <summary>Publishes with no data key in the delivered frame.</summary>
    public void TransmitPublish(string channel) => _broker.TransmitPublish(channel, null);

    /// <summary>Publishes and waits for the broker's acknowledgement (the seed's agServer.exchange.invokePublish).</summary>
    public Task InvokePublishAsync(string channel, object? data, CancellationToken cancellationToken = default) =>
        _broker.InvokePublishAsync(channel, ScCodec.ToData(data), cancellationToken);

    public Task InvokePublishAsync(string channel, CancellationToken cancellationToken = default) =>
        _broker.InvokePublishAsync(channel, null, cancellationToken);

    /// <summary>Publishes data that may be absent (null: no data key), as relayed from a client's #publish.</summary>
    public Task InvokePublishDataAsync(string channel, JsonElement? data, CancellationToken cancellationToken = default) =>
        _broker.InvokePublishAsync(channel, data, cancellationToken);

    public void TransmitPublishData(string channel, JsonElement? data) => _broker.TransmitPublish(channel, data);

    /// <summary>
    /// Subscribes the server to a channel; the returned consumer gets its publications (null = no data) from before the
    /// subscription is made, so none is missed. Dispose it to stop receiving (the exchange stays subscribed).
    /// </summary>
    public async Task<StreamConsumer<JsonElement?>> SubscribeAsync(string channel, CancellationToken cancellationToken = default)
    {
        var stream = _channelData.CreateConsumer(channel);
        bool isNew;
        lock (_gate) isNew = _subscriptions.Add(channel);
        if (isNew)
        {
            try
            {
                await _broker.SubscribeAsync(this, channel, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                lock (_gate) _subscriptions.Remove(channel);
                await stream.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        return stream;
    }

    /// <summary>A channel's publications (iterate it, or CreateConsumer); it receives data only while the exchange is subscribed.</summary>
    public ConsumableStream<JsonElement?> Channel(string channel) => _channelData.Stream(channel);

    public async Task UnsubscribeAsync(string channel, CancellationToken cancellationToken = default)
    {
        bool removed;
        lock (_gate) removed = _subscriptions.Remove(channel);
        if (removed) await _broker.UnsubscribeAsync(this, channel, cancellationToken).ConfigureAwait(false);
    }

    public bool IsSubscribed(string channel)
    {
        lock (_gate) return _subscriptions.Contains(channel);
    }

    public IReadOnlyList<string> Subscriptions()
    {
        lock (_gate) return [.. _subscriptions];
    }

    void IBrokerSubscriber.DeliverPublish(string channel, JsonElement? data, string encodedFrame) =>
        _channelData.Emit(channel, data);
}
