using System.Text.Json;

namespace SocketCluster.Server.Broker;

/// <summary>
/// The message broker behind <see cref="Exchange"/>: channel memberships and publication fan-out. The server
/// ships <see cref="InMemoryBroker"/> (the official AGSimpleBroker); a distributed broker implements the same
/// interface. Subscribers are server sockets and the exchange itself (server-side subscriptions).
/// </summary>
public interface IBroker
{
    /// <summary>Adds a membership: the subscriber gets the channel's publications from now on (idempotent).</summary>
    Task SubscribeAsync(IBrokerSubscriber subscriber, string channel, CancellationToken cancellationToken = default);

    /// <summary>Removes a membership; unknown memberships are ignored.</summary>
    Task UnsubscribeAsync(IBrokerSubscriber subscriber, string channel, CancellationToken cancellationToken = default);

    /// <summary>Publishes without waiting for the broker's acknowledgement; failures are reported on <see cref="Error"/>.</summary>
    void TransmitPublish(string channel, JsonElement? data);

    /// <summary>Publishes and completes once the broker has accepted the publication (or fails with its error).</summary>
    Task InvokePublishAsync(string channel, JsonElement? data, CancellationToken cancellationToken = default);

    /// <summary>Raised for broker failures that have no caller to report to (the server turns them into warnings).</summary>
    event Action<Exception>? Error;
}

/// <summary>Something that receives publications of the channels it subscribed to.</summary>
public interface IBrokerSubscriber
{
    /// <summary>Unique among the broker's subscribers.</summary>
    string Id { get; }

    /// <summary>
    /// Delivers one publication. <paramref name="encodedFrame"/> is the ready-made #publish frame, shared by every
    /// subscriber (fan-out encodes once). Must not block: subscribers queue the delivery.
    /// </summary>
    void DeliverPublish(string channel, JsonElement? data, string encodedFrame);
}
