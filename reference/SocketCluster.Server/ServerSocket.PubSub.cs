using System.Text.Json;
using System.Text.Json.Nodes;
using SocketCluster.Protocol;

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
        Emit(new ServerEvent("subscribe") { Channel = channel, SubscriptionOptions = subscriptionOptions });
        _server.Emit(new ServerEvent("subscription") { Socket = this, Channel = channel, SubscriptionOptions = subscriptionOptions });
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
            Emit(new ServerEvent("unsubscribe") { Channel = channel });
            _server.Emit(new ServerEvent("unsubscription") { Socket = this, Channel = channel });
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

    private async Task ProcessInboundPublishRequestAsync(ScRequest request, string channel, JsonElement? data)
    {
        try
        {
            await Exchange.InvokePublishDataAsync(channel, data).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            EmitError(e);
            request.Error(e);
            return;
        }
        request.End();
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
