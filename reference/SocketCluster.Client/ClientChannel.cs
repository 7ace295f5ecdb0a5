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

    public string Name { get; }

    public ClientSocket Client => _socket;

    public ChannelState State => _socket.GetChannelState(Name);

    public SubscribeOptions? Options => _socket.GetChannelOptions(Name);

    /// <summary>The channel's event stream of that name (see <see cref="ClientEvents"/>).</summary>
    public ConsumableStream<SocketEvent> Listener(string eventName) => _socket.ChannelListener<SocketEvent>(Name, eventName);

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

    public Task<JsonElement?> OnceAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        _data.OnceAsync(timeout, cancellationToken);

    public bool IsSubscribed(bool includePending = false) => _socket.IsSubscribed(Name, includePending);

    public void Subscribe(SubscribeOptions? options = null) => _socket.Subscribe(Name, options);

    public void Unsubscribe() => _socket.Unsubscribe(Name);

    public void TransmitPublish(JsonElement? data = null) => _socket.TransmitPublish(Name, data);

    public void TransmitPublish(object? data) => _socket.TransmitPublish(Name, data);

    public Task InvokePublishAsync(JsonElement? data = null, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        _socket.InvokePublishAsync(Name, data, options, cancellationToken);

    public Task InvokePublishAsync(object? data, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        _socket.InvokePublishAsync(Name, data, options, cancellationToken);

    /// <summary>Ends the iteration of every consumer of this channel and its listeners (does not unsubscribe).</summary>
    public void Close() => _socket.CloseChannel(Name);

    public IAsyncEnumerator<JsonElement?> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        _data.GetAsyncEnumerator(cancellationToken);
}
