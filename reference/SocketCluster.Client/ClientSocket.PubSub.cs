using System.Text.Json;
using SocketCluster.Protocol.Streams;
using SocketCluster.Protocol;

namespace SocketCluster.Client;

/// <summary>
/// Channels (PS-001, PS-017, PS-018): the client keeps channel intentions (pending, subscribed) in insertion order,
/// subscribes when open, puts subscribed channels back to pending on a disconnect and resubscribes them right
/// after the next handshake (descending priority), before the offline queue is flushed.
/// </summary>
public sealed partial class ClientSocket
{
    private readonly OrderedDictionary<string, ChannelEntry> _channels = new();
    private bool _preparingPendingSubscriptions;

    private sealed class ChannelEntry(string name, SubscribeOptions options)
    {
        public string Name { get; } = name;
        public ChannelState State { get; set; } = ChannelState.Pending;
        public SubscribeOptions Options { get; set; } = options;
        public PendingCall? PendingSubscribe { get; set; }
    }

    /// <summary>
    /// Subscribes (the channel is 'pending' until the server acknowledges) and returns a channel object that is
    /// an async stream of its publications. Subscribing again to a known channel only replaces its options.
    /// </summary>
    public ClientChannel Subscribe(string channelName, SubscribeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(channelName);
        lock (Gate)
        {
            options ??= new SubscribeOptions();
            if (!_channels.TryGetValue(channelName, out var channel))
            {
                channel = new ChannelEntry(channelName, options);
                _channels.Add(channelName, channel);
                TrySubscribe(channel);
            }
            else
            {
                channel.Options = options;
            }
        }
        return new ClientChannel(this, channelName);
    }

    /// <summary>A channel object without subscribing (official channel(name)).</summary>
    public ClientChannel Channel(string channelName) => new(this, channelName);

    /// <summary>Drops the channel; sends #unsubscribe (a transmit) if the socket is open.</summary>
    public void Unsubscribe(string channelName)
    {
        lock (Gate)
        {
            if (!_channels.TryGetValue(channelName, out var channel)) return;
            TriggerChannelUnsubscribe(channel, setAsPending: false);
            if (_state == ConnectionState.Open && _transport is { } transport)
                transport.Send(Frames.Event(EventNames.Unsubscribe, ScCodec.ToData(DecorateChannelName(channelName))));
        }
    }

    public bool IsSubscribed(string channelName, bool includePending = false)
    {
        lock (Gate)
            return _channels.TryGetValue(channelName, out var c) && (includePending || c.State == ChannelState.Subscribed);
    }

    /// <summary>Channel names in subscription order; pending ones only when asked.</summary>
    public IReadOnlyList<string> Subscriptions(bool includePending = false)
    {
        lock (Gate)
            return _channels.Values.Where(c => includePending || c.State == ChannelState.Subscribed).Select(c => c.Name).ToList();
    }

    /// <summary>'unsubscribed' for a channel not in the map.</summary>
    public ChannelState GetChannelState(string channelName)
    {
        lock (Gate) return _channels.TryGetValue(channelName, out var c) ? c.State : ChannelState.Unsubscribed;
    }

    public SubscribeOptions? GetChannelOptions(string channelName)
    {
        lock (Gate) return _channels.TryGetValue(channelName, out var c) ? c.Options : null;
    }

    /// <summary>Publishes without waiting: {"event":"#publish","data":{"channel":C[,"data":D]}} (no cid).</summary>
    public void TransmitPublish(string channelName, JsonElement? data = null) =>
        Transmit(EventNames.Publish, Frames.PublishData(DecorateChannelName(channelName), data));

    public void TransmitPublish(string channelName, object? data) => TransmitPublish(channelName, ScCodec.ToData(data));

    /// <summary>Publishes and waits for the server's acknowledgement (a request with a cid).</summary>
    public Task InvokePublishAsync(string channelName, JsonElement? data = null, CallOptions? options = null,
        CancellationToken cancellationToken = default) =>
        InvokeAsync(EventNames.Publish, Frames.PublishData(DecorateChannelName(channelName), data), options, cancellationToken);

    public Task InvokePublishAsync(string channelName, object? data, CallOptions? options = null,
        CancellationToken cancellationToken = default) =>
        InvokePublishAsync(channelName, ScCodec.ToData(data), options, cancellationToken);

    /// <summary>Sends #subscribe for every pending channel, highest priority first (official processPendingSubscriptions).</summary>
    public void ProcessPendingSubscriptions()
    {
        lock (Gate)
        {
            _preparingPendingSubscriptions = false;
            var pending = _channels.Values.Where(c => c.State == ChannelState.Pending)
                .OrderByDescending(c => c.Options.Priority ?? 0) // OrderBy is stable, like the official sort
                .ToList();
            foreach (var channel in pending) TrySubscribe(channel);
        }
    }

    /// <summary>Ends the channel's data consumers and all its listeners (official closeChannel).</summary>
    public void CloseChannel(string channelName)
    {
        _channelData.Close(channelName);
        _channelEvents.ClosePrefix(channelName + "/");
    }

    /// <summary>Whether anything consumes the channel's publications right now.</summary>
    public bool HasChannelConsumer(string channelName) => _channelData.HasConsumer(channelName);

    internal ConsumableStream<JsonElement?> ChannelDataStream(string channelName) => _channelData.Stream(channelName);

    internal ConsumableStream<TEvent> ChannelListener<TEvent>(string channelName, string eventName) where TEvent : SocketEvent =>
        _channelEvents.Stream<TEvent>($"{channelName}/{eventName}");

    /// <summary>One subscribe in flight per channel; only when open, not mid-handshake, and authenticated if required.</summary>
    private void TrySubscribe(ChannelEntry channel)
    {
        var meetsAuth = !channel.Options.WaitForAuth || _authState == AuthState.Authenticated;
        if (_state != ConnectionState.Open || _preparingPendingSubscriptions || channel.PendingSubscribe is not null
            || !meetsAuth || _transport is not { } transport)
            return;

        var subscriptionOptions = Frames.Element(w =>
        {
            if (channel.Options.WaitForAuth) w.WriteBoolean("waitForAuth", true);
            if (ScData.IsTruthy(channel.Options.Data)) { w.WritePropertyName("data"); channel.Options.Data!.Value.WriteTo(w); }
        });
        var payload = Frames.Element(w =>
        {
            w.WriteString("channel", DecorateChannelName(channel.Name));
            foreach (var p in subscriptionOptions.EnumerateObject()) p.WriteTo(w);
        });

        // The #subscribe has no ack timeout: it waits for its response as long as the connection lives.
        var call = new PendingCall(EventNames.Subscribe, payload, (error, _) =>
        {
            if (error is ScError { Name: ScErrorNames.BadConnectionError }) return; // stays pending for the reconnect
            channel.PendingSubscribe = null;
            if (error is not null) TriggerChannelSubscribeFail(error, channel, subscriptionOptions);
            else TriggerChannelSubscribe(channel, subscriptionOptions);
        });
        channel.PendingSubscribe = call;
        TransmitObject(transport, call);
        EmitEvent(ClientEvents.SubscribeRequest, new SubscribeRequestEvent(channel.Name, subscriptionOptions));
    }

    private void TriggerChannelSubscribe(ChannelEntry channel, JsonElement subscriptionOptions)
    {
        if (channel.State == ChannelState.Subscribed) return;
        var old = channel.State;
        channel.State = ChannelState.Subscribed;
        // Channel listeners get the same event objects as the socket's, channel name included: the official objects
        // leave it out there (the channel is implied), but a null Channel only surprises a .NET consumer.
        var stateChange = new SubscribeStateChangeEvent(channel.Name, old, ChannelState.Subscribed, subscriptionOptions);
        var subscribe = new SubscribeEvent(channel.Name, subscriptionOptions);
        EmitChannelEvent(channel.Name, ClientEvents.SubscribeStateChange, stateChange);
        EmitChannelEvent(channel.Name, ClientEvents.Subscribe, subscribe);
        EmitEvent(ClientEvents.SubscribeStateChange, stateChange);
        EmitEvent(ClientEvents.Subscribe, subscribe);
    }

    /// <summary>A refused subscribe drops the channel, except a waitForAuth channel while unauthenticated.</summary>
    private void TriggerChannelSubscribeFail(Exception error, ChannelEntry channel, JsonElement subscriptionOptions)
    {
        var meetsAuth = !channel.Options.WaitForAuth || _authState == AuthState.Authenticated;
        if (!_channels.ContainsKey(channel.Name) || !meetsAuth) return;
        _channels.Remove(channel.Name);
        if (Has(ClientFaults.NoSubscribeFail)) return; // test-only fault
        var failed = new SubscribeFailEvent(channel.Name, error, subscriptionOptions);
        EmitChannelEvent(channel.Name, ClientEvents.SubscribeFail, failed);
        EmitEvent(ClientEvents.SubscribeFail, failed);
    }

    /// <summary>Leaves 'subscribed' (events only then); back to pending on a disconnect, otherwise removed.</summary>
    private void TriggerChannelUnsubscribe(ChannelEntry channel, bool setAsPending)
    {
        CancelPendingSubscribe(channel);
        if (channel.State == ChannelState.Subscribed)
        {
            var next = setAsPending ? ChannelState.Pending : ChannelState.Unsubscribed;
            var stateChange = new SubscribeStateChangeEvent(channel.Name, ChannelState.Subscribed, next, null);
            var unsubscribe = new UnsubscribeEvent(channel.Name);
            EmitChannelEvent(channel.Name, ClientEvents.SubscribeStateChange, stateChange);
            EmitChannelEvent(channel.Name, ClientEvents.Unsubscribe, unsubscribe);
            EmitEvent(ClientEvents.SubscribeStateChange, stateChange);
            EmitEvent(ClientEvents.Unsubscribe, unsubscribe);
        }
        if (setAsPending) channel.State = ChannelState.Pending;
        else _channels.Remove(channel.Name);
    }

    private void CancelPendingSubscribe(ChannelEntry channel)
    {
        if (channel.PendingSubscribe is not { } call) return;
        Forget(call);
        call.Cancel();
        channel.PendingSubscribe = null;
    }

    private void SuspendSubscriptions()
    {
        foreach (var channel in _channels.Values.ToList()) TriggerChannelUnsubscribe(channel, setAsPending: true);
    }

    /// <summary>Delivers a publication to the channel's consumers if the channel is known (pending included).</summary>
    private void OnPublish(JsonElement? data)
    {
        if (data is not { ValueKind: JsonValueKind.Object } d
            || !d.TryGetProperty("channel", out var ch) || ch.ValueKind != JsonValueKind.String) return;
        var name = UndecorateChannelName(ch.GetString()!);
        if (!_channels.ContainsKey(name)) return;
        if (Has(ClientFaults.DropPendingPublications) && GetChannelState(name) != ChannelState.Subscribed) return; // test-only fault
        JsonElement? payload = Has(ClientFaults.PublishEnvelope) ? d // test-only fault
            : d.TryGetProperty("data", out var inner) ? inner : null;
        _channelData.Emit(name, payload);
    }

    /// <summary>The server removed us from a channel: kickOut events, then the channel is dropped (no #unsubscribe).</summary>
    private void OnKickOut(JsonElement? data)
    {
        if (data is not { ValueKind: JsonValueKind.Object } d
            || !d.TryGetProperty("channel", out var ch) || ch.ValueKind != JsonValueKind.String) return;
        var name = UndecorateChannelName(ch.GetString()!);
        if (!_channels.TryGetValue(name, out var channel) || Has(ClientFaults.IgnoreKickOut)) return;
        JsonElement? message = d.TryGetProperty("message", out var m) ? m : null;
        var kickOut = new KickOutEvent(name, message);
        EmitEvent(ClientEvents.KickOut, kickOut);
        EmitChannelEvent(name, ClientEvents.KickOut, kickOut);
        TriggerChannelUnsubscribe(channel, setAsPending: false);
    }

    private string DecorateChannelName(string name) =>
        string.IsNullOrEmpty(Options.ChannelPrefix) ? name : Options.ChannelPrefix + name;

    private string UndecorateChannelName(string name) =>
        !string.IsNullOrEmpty(Options.ChannelPrefix) && name.StartsWith(Options.ChannelPrefix, StringComparison.Ordinal)
            ? name[Options.ChannelPrefix.Length..] : name;
}
