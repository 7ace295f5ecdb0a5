using System.Text.Json;
using SocketCluster.Protocol.Streams;

namespace SocketCluster.Client;

/// <summary>
/// A channel of a client socket (official AGChannel): an async stream of the channel's publications, its state,
/// its own listeners (subscribe, subscribeFail, subscribeStateChange, unsubscribe, kickOut) and publishing.
/// Several objects may exist for one channel name; they share the socket's channel state.
/// </summary>
public sealed class ClientChannel : IAsyncEnumerable<JsonElement?>
{
    private readonly ClientSocket _socket;
    private readonly ConsumableStream<JsonElement?> _data;

    internal ClientChannel(ClientSocket socket, string name)
    {
        _socket = socket;
        Name = name;
        _data = socket.ChannelDataStream(name);
    }

    /// <summary>The channel name (without the ChannelPrefix).</summary>
    public string Name { get; }

    /// <summary>The socket the channel belongs to.</summary>
    public ClientSocket Client => _socket;

    /// <summary>'subscribed', 'pending' or 'unsubscribed' (official channel.state).</summary>
    public ChannelState State => _socket.GetChannelState(Name);

    /// <summary>The options of the last Subscribe, or null when not subscribed.</summary>
    public SubscribeOptions? Options => _socket.GetChannelOptions(Name);

    /// <summary>The channel's event stream of that name (see <see cref="ClientEvents"/>).</summary>
    public ConsumableStream<SocketEvent> Listener(string eventName) => _socket.ChannelListener<SocketEvent>(Name, eventName);

    /// <summary>The channel event stream typed by its event record (e.g. Listener&lt;SubscribeEvent&gt;("subscribe")).</summary>
    public ConsumableStream<TEvent> Listener<TEvent>(string eventName) where TEvent : SocketEvent =>
        _socket.ChannelListener<TEvent>(Name, eventName);

    /// <summary>The channel's event stream typed by its name: <c>Listener(ClientEvents.Subscribe)</c> gives <see cref="SubscribeEvent"/>s.</summary>
    public ConsumableStream<TEvent> Listener<TEvent>(ClientEventName<TEvent> eventName) where TEvent : SocketEvent
    {
        ArgumentNullException.ThrowIfNull(eventName);
        return _socket.ChannelListener<TEvent>(Name, eventName.Name);
    }

    /// <summary>A consumer that buffers every publication from now on (null = published without data).</summary>
    public StreamConsumer<JsonElement?> CreateConsumer() => _data.CreateConsumer();

    /// <summary>The next publication on the channel (official once(timeout)); null data = published without data.</summary>
    public Task<JsonElement?> OnceAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        _data.OnceAsync(timeout, cancellationToken);

    /// <summary>Whether the channel is subscribed (or, with <paramref name="includePending"/>, waiting for its subscription).</summary>
    public bool IsSubscribed(bool includePending = false) => _socket.IsSubscribed(Name, includePending);

    /// <summary>Subscribes the channel (official channel.subscribe()); see <see cref="ClientSocket.Subscribe"/>.</summary>
    public void Subscribe(SubscribeOptions? options = null) => _socket.Subscribe(Name, options);

    /// <summary>Unsubscribes the channel (official channel.unsubscribe()).</summary>
    public void Unsubscribe() => _socket.Unsubscribe(Name);

    /// <summary>Publishes JSON data to the channel without waiting (null: no data key); never throws, like Transmit.</summary>
    public void TransmitPublish(JsonElement? data = null) => _socket.TransmitPublish(Name, data);

    /// <summary>Publishes a .NET value without waiting (null: no data key); a value that cannot be serialised is reported on the 'error' listener.</summary>
    public void TransmitPublish(object? data) => _socket.TransmitPublish(Name, data);

    /// <summary>Publishes JSON data and waits for the server's acknowledgement (null: no data key).<br/>Fails like <see cref="ClientSocket.InvokeAsync(string, JsonElement?, CallOptions?, CancellationToken)"/>.</summary>
    /// <inheritdoc cref="ClientSocket.InvokePublishAsync(string, JsonElement?, CallOptions?, CancellationToken)" path="/exception"/>
    public Task InvokePublishAsync(JsonElement? data = null, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        _socket.InvokePublishAsync(Name, data, options, cancellationToken);

    /// <summary>Publishes a .NET value and waits for the server's acknowledgement; a value that cannot be serialised faults the task with a JsonException.</summary>
    /// <inheritdoc cref="ClientSocket.InvokePublishAsync(string, object?, CallOptions?, CancellationToken)" path="/exception"/>
    public Task InvokePublishAsync(object? data, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        _socket.InvokePublishAsync(Name, data, options, cancellationToken);

    /// <summary>Ends the iteration of every consumer of this channel and its listeners (does not unsubscribe).</summary>
    public void Close() => _socket.CloseChannel(Name);

    /// <summary>Iterates the channel's publications from now on (null = published without data).</summary>
    public IAsyncEnumerator<JsonElement?> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        _data.GetAsyncEnumerator(cancellationToken);
}
