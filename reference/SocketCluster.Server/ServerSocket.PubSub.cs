using System.Text.Json;
using System.Text.Json.Nodes;
using SocketCluster.Protocol;
using SocketCluster.Server.Middleware;

namespace SocketCluster.Server;

public sealed partial class ServerSocket
{
    private readonly object _channelsGate = new();
    private readonly OrderedDictionary<string, bool> _channelSubscriptions = new(StringComparer.Ordinal);

    /// <summary>The channels this socket is subscribed to, in subscription order.</summary>
    public IReadOnlyList<string> Subscriptions()
    {
        lock (_channelsGate) return [.. _channelSubscriptions.Keys];
    }

    public bool IsSubscribed(string channel)
    {
        lock (_channelsGate) return _channelSubscriptions.ContainsKey(channel);
    }

    public int ChannelSubscriptionsCount
    {
        get { lock (_channelsGate) return _channelSubscriptions.Count; }
    }

    /// <summary>
    /// A client's #publish, with or without a cid: validated, PUBLISH_IN middleware, then published through the
    /// exchange; a request is answered once the broker has accepted the publication.
    /// </summary>
    private async Task OnPublishPacketAsync(EventPacket packet, ScError? tokenExpiredError)
    {
        var request = RequestOf(packet);
        if (!_options.AllowClientPublish)
        {
            FailAction(request, ScErrors.InvalidAction("Client publish feature is disabled"));
            return;
        }
        if (ChannelOf(packet.Data) is not { } channel)
        {
            FailAction(request, ScErrors.InvalidAction("Publish channel name was malformatted"));
            return;
        }
        var action = new MiddlewareAction(ActionTypes.PublishIn)
        {
            Socket = this, Channel = channel, Data = InnerData(packet.Data), AuthTokenExpiredError = tokenExpiredError,
        };
        if (await RunInboundMiddlewareAsync(action, request).ConfigureAwait(false) is not { } allowed) return;
        try
        {
            await Exchange.InvokePublishDataAsync(channel, allowed.Data).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            EmitError(e);
            if (request is not null)
            {
                request.Error(e);
                return;
            }
        }
        if (request is not null) request.End();
        // Without a cid the packet is also an ordinary transmit: it reaches a '#publish' receiver.
        else await _receivers.WriteAsync(packet.Event, allowed.Data, _closedCts.Token).ConfigureAwait(false);
    }

    /// <summary>A client's #subscribe: validated, SUBSCRIBE middleware, then subscribed and answered.</summary>
    private async Task OnSubscribePacketAsync(EventPacket packet, ScError? tokenExpiredError)
    {
        var request = RequestOf(packet);
        if (ChannelOf(packet.Data) is not { } channel)
        {
            FailAction(request, ScErrors.InvalidAction("Subscribe channel name was malformatted"));
            return;
        }
        var action = new MiddlewareAction(ActionTypes.Subscribe)
        {
            Socket = this, Channel = channel, Data = InnerData(packet.Data), AuthTokenExpiredError = tokenExpiredError,
        };
        if (await RunInboundMiddlewareAsync(action, request).ConfigureAwait(false) is not { } allowed) return;
        if (request is not null) await ProcessSubscribeRequestAsync(request, channel, packet.Data!.Value, allowed.Data).ConfigureAwait(false);
        // A #subscribe without a cid subscribes nothing; like any transmit it only reaches a '#subscribe' receiver.
        else await _receivers.WriteAsync(packet.Event, allowed.Data, _closedCts.Token).ConfigureAwait(false);
    }

    /// <summary>A client's #unsubscribe (data: the channel name). No middleware action exists for it.</summary>
    private async Task OnUnsubscribePacketAsync(EventPacket packet)
    {
        var request = RequestOf(packet);
        if (packet.Data is not { ValueKind: JsonValueKind.String } channelName)
        {
            FailAction(request, ScErrors.InvalidAction("Unsubscribe channel name was malformatted"));
            return;
        }
        var channel = channelName.GetString()!;
        if (request is not null)
        {
            await ProcessUnsubscribeRequestAsync(request, channel).ConfigureAwait(false);
            return;
        }
        await ProcessUnsubscribePacketAsync(channel).ConfigureAwait(false);
        await _receivers.WriteAsync(packet.Event, packet.Data, _closedCts.Token).ConfigureAwait(false);
    }

    /// <summary>data.channel when data is an object whose channel is a string (#subscribe, #publish).</summary>
    private static string? ChannelOf(JsonElement? data) =>
        data is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("channel", out var c) && c.ValueKind == JsonValueKind.String
            ? c.GetString() : null;

    /// <summary>data.data, or null when absent.</summary>
    private static JsonElement? InnerData(JsonElement? data) =>
        data is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("data", out var inner) ? inner.Clone() : null;

    /// <summary>Answers a #subscribe request: subscribe, or the BrokerError / InvalidActionError response.</summary>
    private async Task ProcessSubscribeRequestAsync(ScRequest request, string channel, JsonElement packetData, JsonElement? newData)
    {
        if (State != SocketState.Open)
        {
            var error = ScErrors.InvalidAction("Cannot subscribe socket to a channel before it has completed the handshake");
            EmitError(error);
            request.Error(error);
            return;
        }
        // Every field other than channel becomes the subscription options; data is what middleware let through.
        var options = new JsonObject();
        foreach (var property in packetData.EnumerateObject())
        {
            if (property.Name is "channel") continue;
            options[property.Name] = property.Name == "data" ? null : JsonNode.Parse(property.Value.GetRawText());
        }
        if (newData is { } d) options["data"] = JsonNode.Parse(d.GetRawText());
        else options.Remove("data");

        try
        {
            await SubscribeSocketAsync(channel, options).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var error = ScErrors.Broker($"Failed to subscribe socket to the {channel} channel - {JsErrorString(e)}");
            EmitError(error);
            request.Error(error);
            return;
        }
        request.End();
    }

    private async Task SubscribeSocketAsync(string channel, JsonObject subscriptionOptions)
    {
        bool added;
        lock (_channelsGate)
        {
            // The limit is checked before the duplicate check, as the official server does.
            if (_options.SocketChannelLimit is { } limit && _channelSubscriptions.Count >= limit)
                throw ScErrors.InvalidAction($"Socket {Id} tried to exceed the channel subscription limit of {limit}");
            added = _channelSubscriptions.TryAdd(channel, true);
        }
        try
        {
            await _server.Broker.SubscribeAsync(this, channel).ConfigureAwait(false);
        }
        catch
        {
            if (added)
                lock (_channelsGate) _channelSubscriptions.Remove(channel);
            throw;
        }
        Emit(ServerSocketEvents.Subscribe, new SubscribeEvent(channel, subscriptionOptions));
        _server.Emit(ServerEvents.Subscription, new SubscriptionEvent(this, channel, subscriptionOptions));
    }

    /// <summary>Unsubscribes; a channel the socket does not hold is an InvalidActionError (thrown).</summary>
    private async Task UnsubscribeAsync(string channel)
    {
        lock (_channelsGate)
        {
            if (!_channelSubscriptions.ContainsKey(channel))
                throw ScErrors.InvalidAction($"Socket {Id} tried to unsubscribe from a channel which it is not subscribed to");
        }
        try
        {
            await _server.Broker.UnsubscribeAsync(this, channel).ConfigureAwait(false);
            lock (_channelsGate) _channelSubscriptions.Remove(channel);
            Emit(ServerSocketEvents.Unsubscribe, new UnsubscribeEvent(channel));
            _server.Emit(ServerEvents.Unsubscription, new UnsubscriptionEvent(this, channel));
        }
        catch (Exception e)
        {
            EmitError(ScErrors.Broker($"Failed to unsubscribe socket from the {channel} channel - {JsErrorString(e)}"));
        }
    }

    private async Task ProcessUnsubscribeRequestAsync(ScRequest request, string channel)
    {
        try
        {
            await UnsubscribeAsync(channel).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var error = ScErrors.Broker($"Failed to unsubscribe socket from the {channel} channel - {JsErrorString(e)}");
            EmitError(error);
            request.Error(error);
            return;
        }
        request.End();
    }

    private async Task ProcessUnsubscribePacketAsync(string channel)
    {
        try
        {
            await UnsubscribeAsync(channel).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            EmitError(ScErrors.Broker($"Failed to unsubscribe socket from the {channel} channel - {JsErrorString(e)}"));
        }
    }

    private Task UnsubscribeFromAllChannelsAsync() =>
        Task.WhenAll(Subscriptions().Select(channel => UnsubscribeAsync(channel)));

    /// <summary>Kicks the socket out of every channel it holds: one #kickOut frame each, then an unsubscribe.</summary>
    public Task KickOutAsync() => KickOutCoreAsync(Subscriptions(), null);

    /// <summary>
    /// Transmits {"event":"#kickOut","data":{"channel":C}} and unsubscribes. The frame is sent even for a channel the
    /// socket does not hold; the task then fails with InvalidActionError.
    /// </summary>
    public Task KickOutAsync(string channel) => KickOutCoreAsync([channel], null);

    /// <summary>Same, with a message (null is sent as "message":null).</summary>
    public Task KickOutAsync(string channel, object? message) => KickOutCoreAsync([channel], ScCodec.ToData(message));

    public Task KickOutAsync(IEnumerable<string> channels, object? message = null) =>
        KickOutCoreAsync(channels.ToList(), message is null ? null : ScCodec.ToData(message));

    /// <summary>The kick-out message may be absent (null: no "message" key).</summary>
    public Task KickOutDataAsync(string channel, JsonElement? message) => KickOutCoreAsync([channel], message);

    /// <summary>Fire-and-forget form (the seed's socket.kickOut); failures are emitted as socket errors.</summary>
    public void KickOut(string? channel = null, object? message = null)
    {
        var task = channel is null ? KickOutAsync() : message is null ? KickOutAsync(channel) : KickOutAsync(channel, message);
        _ = task.ContinueWith(t => EmitError(t.Exception!.GetBaseException()), TaskContinuationOptions.OnlyOnFaulted);
    }

    private Task KickOutCoreAsync(IReadOnlyList<string> channels, JsonElement? message) =>
        Task.WhenAll(channels.Select(channel =>
        {
            if (State != SocketState.Open)
                EmitError(ScErrors.BadConnection($"Socket transmit {EventNames.KickOut} event was aborted due to a bad connection", "connectAbort"));
            else EnqueueTransmit(EventNames.KickOut, null, Frames.KickOut(channel, message));
            return UnsubscribeAsync(channel);
        }));

    /// <summary>How JS turns an error into text in `${err}`: "Name: message".</summary>
    private static string JsErrorString(Exception e) => e switch
    {
        ScError { Name: null } plain => plain.Message,
        ScError sc => string.IsNullOrEmpty(sc.Message) ? sc.Name! : $"{sc.Name}: {sc.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
