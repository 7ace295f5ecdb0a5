using System.Collections.Concurrent;
using System.Text.Json;
using SocketCluster.Protocol;

namespace SocketCluster.Server.Broker;

/// <summary>
/// A single-process broker, equivalent to ag-simple-broker: every subscriber of a channel gets every publication,
/// the publisher included (no sender exclusion), and invokePublish completes as soon as fan-out is queued.
/// </summary>
public sealed class InMemoryBroker : IBroker
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, IBrokerSubscriber>> _channels = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public event Action<Exception>? Error;

    /// <inheritdoc />
    public Task SubscribeAsync(IBrokerSubscriber subscriber, string channel, CancellationToken cancellationToken = default)
    {
        _channels.GetOrAdd(channel, _ => new ConcurrentDictionary<string, IBrokerSubscriber>(StringComparer.Ordinal))[subscriber.Id] = subscriber;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UnsubscribeAsync(IBrokerSubscriber subscriber, string channel, CancellationToken cancellationToken = default)
    {
        if (_channels.TryGetValue(channel, out var members))
        {
            members.TryRemove(subscriber.Id, out _);
            if (members.IsEmpty) _channels.TryRemove(new KeyValuePair<string, ConcurrentDictionary<string, IBrokerSubscriber>>(channel, members));
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void TransmitPublish(string channel, JsonElement? data)
    {
        try
        {
            Publish(channel, data);
        }
        catch (Exception e)
        {
            Error?.Invoke(e);
        }
    }

    /// <inheritdoc />
    public Task InvokePublishAsync(string channel, JsonElement? data, CancellationToken cancellationToken = default)
    {
        Publish(channel, data);
        return Task.CompletedTask;
    }

    /// <summary>The channels that have at least one subscriber.</summary>
    public IReadOnlyCollection<string> Channels => _channels.Keys.ToArray();

    /// <summary>True when the subscriber (by id) is a member of the channel.</summary>
    public bool HasSubscriber(string channel, string subscriberId) =>
        _channels.TryGetValue(channel, out var members) && members.ContainsKey(subscriberId);

    private void Publish(string channel, JsonElement? data)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (!_channels.TryGetValue(channel, out var members) || members.IsEmpty) return;
        var frame = Frames.Publish(channel, data);
        foreach (var subscriber in members.Values) subscriber.DeliverPublish(channel, data, frame);
    }
}
