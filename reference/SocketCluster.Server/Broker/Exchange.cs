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

    /// <summary>Always "exchange" (as the official server's exchange id).</summary>
    public string Id => "exchange";

    /// <summary>The broker the exchange publishes through.</summary>
    public IBroker Broker => _broker;

    /// <summary>
    /// Publishes without waiting for the broker (the seed's agServer.exchange.transmitPublish). Null data means no
    /// "data" key in the delivered frame (JSON null is <see cref="ScCodec.NullElement"/>).
    /// </summary>
    /// <exception cref="System.Text.Json.JsonException">The data cannot be serialised; nothing is published.</exception>
    public void TransmitPublish(string channel, object? data) => _broker.TransmitPublish(channel, ScCodec.ToOptionalData(data));

    /// <summary>Publishes with no data key in the delivered frame.</summary>
    public void TransmitPublish(string channel) => _broker.TransmitPublish(channel, null);

    /// <summary>Publishes JSON data without waiting (null: no data key; JSON null is <see cref="ScCodec.NullElement"/>).</summary>
    public void TransmitPublish(string channel, JsonElement? data) => _broker.TransmitPublish(channel, data);

    /// <summary>Publishes and waits for the broker's acknowledgement (the seed's agServer.exchange.invokePublish).</summary>
    /// <remarks>Null data means no "data" key in the delivered frame.</remarks>
    /// <exception cref="System.Text.Json.JsonException">(The task) the data cannot be serialised; nothing is published.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="channel"/> is null (<see cref="InMemoryBroker"/>).</exception>
    /// <exception cref="Exception">(The task) the broker's failure, as the broker reports it.</exception>
    public Task InvokePublishAsync(string channel, object? data, CancellationToken cancellationToken = default)
    {
        JsonElement? encoded;
        try
        {
            encoded = ScCodec.ToOptionalData(data);
        }
        catch (JsonException e)
        {
            return Task.FromException(e);
        }
        return _broker.InvokePublishAsync(channel, encoded, cancellationToken);
    }

    /// <summary>Publishes without data and waits for the broker's acknowledgement.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="channel"/> is null (<see cref="InMemoryBroker"/>).</exception>
    /// <exception cref="Exception">(The task) the broker's failure, as the broker reports it.</exception>
    public Task InvokePublishAsync(string channel, CancellationToken cancellationToken = default) =>
        _broker.InvokePublishAsync(channel, null, cancellationToken);

    /// <summary>Publishes JSON data (null: no data key), e.g. as relayed from a client's #publish.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="channel"/> is null (<see cref="InMemoryBroker"/>).</exception>
    /// <exception cref="Exception">(The task) the broker's failure, as the broker reports it.</exception>
    public Task InvokePublishAsync(string channel, JsonElement? data, CancellationToken cancellationToken = default) =>
        _broker.InvokePublishAsync(channel, data, cancellationToken);

    /// <summary>
    /// Subscribes the server to a channel; the returned consumer gets its publications (null = no data) from before the
    /// subscription is made, so none is missed. Dispose it to stop receiving (the exchange stays subscribed).
    /// </summary>
    /// <exception cref="Exception">(The task) the broker failed to subscribe; the exchange is then not subscribed and the consumer is disposed.</exception>
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

    /// <summary>Unsubscribes the server from a channel (the broker is told when it was subscribed).</summary>
    /// <exception cref="Exception">(The task) the broker failed to unsubscribe (the exchange no longer counts itself subscribed).</exception>
    public async Task UnsubscribeAsync(string channel, CancellationToken cancellationToken = default)
    {
        bool removed;
        lock (_gate) removed = _subscriptions.Remove(channel);
        if (removed) await _broker.UnsubscribeAsync(this, channel, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether the server's exchange is subscribed to the channel.</summary>
    public bool IsSubscribed(string channel)
    {
        lock (_gate) return _subscriptions.Contains(channel);
    }

    /// <summary>The channels the server's exchange is subscribed to.</summary>
    public IReadOnlyList<string> Subscriptions()
    {
        lock (_gate) return [.. _subscriptions];
    }

    void IBrokerSubscriber.DeliverPublish(string channel, JsonElement? data, string encodedFrame) =>
        _channelData.Emit(channel, data);
}
