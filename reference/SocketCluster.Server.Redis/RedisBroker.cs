using System.Text;
using System.Text.Json;
using SocketCluster.Protocol;
using SocketCluster.Server.Broker;
using StackExchange.Redis;

namespace SocketCluster.Server.Redis;

/// <summary>
/// An <see cref="IBroker"/> on Redis pub/sub, so several server nodes share channels (CL-001..CL-004):
/// a publication on any node reaches the subscribers of every node that holds the channel.
/// <list type="bullet">
/// <item>Local memberships are kept in process; the node subscribes to the Redis channel (prefix + channel) only while
/// at least one local subscriber holds it and unsubscribes when the last one leaves (node-level refcounting).</item>
/// <item>Publications go to Redis only (also for local subscribers), so every node sees one order: a publisher's
/// publications on one channel travel over one connection and reach every node in the order they were sent.</item>
/// <item><see cref="InvokePublishAsync"/> completes once Redis accepted the PUBLISH.</item>
/// <item>Redis unreachable (at start or mid-run): publishes and new subscriptions fail at once with a BrokerError
/// (no queueing), a loss is reported on <see cref="ConnectionError"/> and unreachability at start by
/// <see cref="UnavailableError"/> (both on the server's 'error' stream when registered with AddRedisBroker); when Redis
/// is back, every held channel is subscribed again.</item>
/// </list>
/// </summary>
public sealed class RedisBroker : IBroker, IAsyncDisposable, IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ChannelState> _channels = new(StringComparer.Ordinal);
    private readonly ConnectionMultiplexer _redis;
    private readonly ISubscriber _pubsub;
    private readonly string _prefix;
    private int _disposed;

    public RedisBroker(RedisBrokerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Configuration))
            throw new ArgumentException("RedisBrokerOptions.Configuration must name a Redis server, e.g. \"localhost:6379\"", nameof(options));
        var config = ConfigurationOptions.Parse(options.Configuration);
        // Start even when Redis is down (reported, retried in the background) and never queue commands while
        // disconnected: a publish either reaches Redis now or fails now with a BrokerError.
        config.AbortOnConnectFail = false;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        if (options.ConnectTimeout is { } connectTimeout) config.ConnectTimeout = (int)connectTimeout.TotalMilliseconds;
        config.ReconnectRetryPolicy = new LinearRetry((int)options.ReconnectInterval.TotalMilliseconds);
        config.ClientName ??= "socketcluster-node";
        _prefix = options.ChannelPrefix;
        _redis = ConnectionMultiplexer.Connect(config);
        _redis.ConnectionFailed += OnConnectionFailed;
        _redis.ConnectionRestored += OnConnectionRestored;
        _pubsub = _redis.GetSubscriber();
        _configuration = options.Configuration;
    }

    private readonly string _configuration;

    /// <summary>
    /// The BrokerError for Redis being unreachable now, or null when connected. AddRedisBroker reports it on the server's
    /// 'error' stream when the app starts (nobody listens earlier; the library raises no event for a failed first connect).
    /// </summary>
    public Exception? UnavailableError() => _redis.IsConnected ? null
        : ScErrors.Broker($"Redis broker unreachable ({_configuration}); retrying in the background");

    public RedisBroker(string configuration) : this(new RedisBrokerOptions { Configuration = configuration })
    {
    }

    /// <summary>Failures with no caller (transmitPublish, delivery): the server turns them into warnings.</summary>
    public event Action<Exception>? Error;

    /// <summary>The connection to Redis was lost or could not be made (a BrokerError; AddRedisBroker routes it to the server's 'error' stream).</summary>
    public event Action<Exception>? ConnectionError;

    /// <summary>Redis is reachable again; held channels are subscribed again.</summary>
    public event Action? ConnectionRestored;

    public bool IsConnected => _redis.IsConnected;

    /// <summary>Channels this node holds a Redis subscription for (at least one local subscriber).</summary>
    public IReadOnlyCollection<string> Channels
    {
        get { lock (_gate) return [.. _channels.Keys]; }
    }

    public async Task SubscribeAsync(IBrokerSubscriber subscriber, string channel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        ChannelState state;
        lock (_gate)
        {
            if (!_channels.TryGetValue(channel, out state!))
                _channels[channel] = state = new ChannelState(channel);
            state.Members[subscriber.Id] = subscriber;
        }
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (state.Queue is not null || !state.IsHeld) return;
            try
            {
                ThrowIfUnavailable("subscribe to", channel);
                var queue = await _pubsub.SubscribeAsync(RedisChannel.Literal(_prefix + channel)).ConfigureAwait(false);
                queue.OnMessage(message => Deliver(state, message));
                state.Queue = queue;
            }
            catch (Exception e)
            {
                // Leave nothing half-registered: the caller's subscribe fails and holds nothing.
                lock (_gate) Leave(state, subscriber.Id);
                try { await _pubsub.UnsubscribeAsync(RedisChannel.Literal(_prefix + channel), null, CommandFlags.FireAndForget).ConfigureAwait(false); }
                catch (RedisException) { }
                throw AsBrokerError(e, "subscribe to", channel);
            }
        }
        finally
        {
            state.Gate.Release();
        }
    }

    public async Task UnsubscribeAsync(IBrokerSubscriber subscriber, string channel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ChannelState? state;
        lock (_gate)
        {
            if (!_channels.TryGetValue(channel, out state) || !state.Members.ContainsKey(subscriber.Id)) return;
            Leave(state, subscriber.Id);
        }
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (state.IsHeld || state.Queue is null) return;
            var queue = state.Queue;
            state.Queue = null;
            try
            {
                // While Redis is down the unsubscribe cannot be sent; the library then forgets the channel and
                // does not subscribe it again on reconnect, which is what we want.
                await queue.UnsubscribeAsync(_redis.IsConnected ? CommandFlags.None : CommandFlags.FireAndForget).ConfigureAwait(false);
            }
            catch (RedisException e)
            {
                Error?.Invoke(AsBrokerError(e, "unsubscribe from", channel));
            }
        }
        finally
        {
            state.Gate.Release();
        }
    }

    public void TransmitPublish(string channel, JsonElement? data)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(channel);
            ThrowIfUnavailable("publish to", channel);
            _pubsub.Publish(RedisChannel.Literal(_prefix + channel), Encode(data), CommandFlags.FireAndForget);
        }
        catch (Exception e)
        {
            Error?.Invoke(AsBrokerError(e, "publish to", channel));
        }
    }

    public async Task InvokePublishAsync(string channel, JsonElement? data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        try
        {
            ThrowIfUnavailable("publish to", channel);
            await _pubsub.PublishAsync(RedisChannel.Literal(_prefix + channel), Encode(data)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw AsBrokerError(e, "publish to", channel);
        }
    }

    // "" is no data (the frame gets no data key); JSON text is never empty.
    private static RedisValue Encode(JsonElement? data) => data is { } d ? d.GetRawText() : RedisValue.EmptyString;

    private void Deliver(ChannelState state, ChannelMessage message)
    {
        try
        {
            var bytes = (byte[]?)message.Message;
            JsonElement? data = bytes is { Length: > 0 } ? JsonDocument.Parse(bytes).RootElement.Clone() : null;
            IBrokerSubscriber[] members;
            lock (_gate) members = [.. state.Members.Values];
            if (members.Length == 0) return;
            var frame = Frames.Publish(state.Channel, data);
            foreach (var member in members) member.DeliverPublish(state.Channel, data, frame);
        }
        catch (Exception e)
        {
            Error?.Invoke(ScErrors.Broker($"Failed to deliver a publication of the {state.Channel} channel - {e.Message}"));
        }
    }

    private void Leave(ChannelState state, string subscriberId)
    {
        state.Members.Remove(subscriberId);
        // The state stays in the table while a subscribe or unsubscribe of it is in flight (it holds the gate);
        // a new member then reuses it. Removing it here keeps Channels = channels with a local subscriber.
        if (!state.IsHeld) _channels.Remove(state.Channel);
    }

    private void ThrowIfUnavailable(string action, string channel)
    {
        if (!_redis.IsConnected)
            throw ScErrors.Broker($"Failed to {action} the {channel} channel - the Redis broker is unavailable");
    }

    private static Exception AsBrokerError(Exception e, string action, string channel) =>
        e is ScError { Name: ScErrorNames.BrokerError } ? e : ScErrors.Broker($"Failed to {action} the {channel} channel - {e.Message}");

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Subscription && e.ConnectionType != ConnectionType.Interactive) return;
        if (Volatile.Read(ref _disposed) != 0) return;
        ConnectionError?.Invoke(ScErrors.Broker($"Redis broker connection lost ({e.EndPoint}, {e.ConnectionType}): {e.FailureType}"));
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        // The library subscribes again to every channel it still holds on the new subscription connection.
        if (e.ConnectionType == ConnectionType.Subscription) ConnectionRestored?.Invoke();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _redis.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
        _redis.Dispose();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _redis.Dispose();
    }

    private sealed class ChannelState(string channel)
    {
        public string Channel { get; } = channel;
        public Dictionary<string, IBrokerSubscriber> Members { get; } = new(StringComparer.Ordinal);
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public ChannelMessageQueue? Queue { get; set; }
        public bool IsHeld => Members.Count > 0;
    }
}
