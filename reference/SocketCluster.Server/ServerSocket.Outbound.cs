using System.Text.Json;
using SocketCluster.Protocol;
using SocketCluster.Server.Middleware;

namespace SocketCluster.Server;

public sealed partial class ServerSocket
{
    private readonly object _outboundGate = new();
    private readonly Queue<OutboundItem> _outboundQueue = new();
    private bool _outboundPumping;
    private bool _outboundEnded;

    private abstract record OutboundItem;

    /// <summary>A transmit; for a #publish delivery Channel/InnerData feed PUBLISH_OUT and EncodedFrame is the shared frame.</summary>
    private sealed record OutboundTransmit(string Event, JsonElement? Data, string? EncodedFrame, string? Channel = null, JsonElement? InnerData = null) : OutboundItem;

    private sealed record OutboundInvoke(string Event, JsonElement? Data, TimeSpan AckTimeout, TaskCompletionSource<JsonElement?> Completion) : OutboundItem;

    /// <summary>Transmits an event without data: {"event":E}. Transmit never fails; on a socket that is not open it only warns.</summary>
    public void Transmit(string eventName) => TransmitData(eventName, null);

    /// <summary>Transmits an event with data (null is sent as "data":null).</summary>
    public void Transmit(string eventName, object? data) => TransmitData(eventName, ScCodec.ToData(data));

    /// <summary>Transmits data that may be absent: null means no "data" key.</summary>
    public void TransmitData(string eventName, JsonElement? data)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        if (State != SocketState.Open)
        {
            EmitError(ScErrors.BadConnection($"Socket transmit {eventName} event was aborted due to a bad connection", "connectAbort"));
            return;
        }
        EnqueueTransmit(eventName, data);
    }

    /// <summary>The official _transmit: queued whatever the state (#removeAuthToken may go out before the handshake).</summary>
    private void EnqueueTransmit(string eventName, JsonElement? data, string? encodedFrame = null) =>
        EnqueueOutbound(new OutboundTransmit(eventName, data, encodedFrame));

    void Broker.IBrokerSubscriber.DeliverPublish(string channel, JsonElement? data, string encodedFrame)
    {
        if (State != SocketState.Open)
        {
            EmitError(ScErrors.BadConnection($"Socket transmit {EventNames.Publish} event was aborted due to a bad connection", "connectAbort"));
            return;
        }
        EnqueueOutbound(new OutboundTransmit(EventNames.Publish, null, encodedFrame, channel, data));
    }

    /// <summary>
    /// Outbound packets are processed in order. A packet that needs no middleware is written at once (in the
    /// caller's turn, as the official server's outbound stream does within the same tick), so a transmit made
    /// before a response goes out before it. A #publish with PUBLISH_OUT middleware is queued, and what comes
    /// after it waits: a delayed PUBLISH_OUT holds back only this socket's later packets.
    /// </summary>
    private void EnqueueOutbound(OutboundItem item)
    {
        lock (_outboundGate)
        {
            if (_outboundEnded)
            {
                if (item is OutboundInvoke invoke)
                    invoke.Completion.TrySetException(ScErrors.EventAborted(invoke.Event, "disconnect", CloseCodes.GoingAway, null));
                return;
            }
            if (!_outboundPumping && _outboundQueue.Count == 0 && !NeedsMiddleware(item))
            {
                SendNow(item);
                return;
            }
            _outboundQueue.Enqueue(item);
            if (_outboundPumping) return;
            _outboundPumping = true;
        }
        _ = PumpOutboundAsync();
    }

    private bool NeedsMiddleware(OutboundItem item) => item is OutboundTransmit { Channel: not null } && _outboundMiddleware is not null;

    private void SendNow(OutboundItem item)
    {
        try
        {
            switch (item)
            {
                case OutboundInvoke invoke:
                    SendInvoke(invoke);
                    break;
                case OutboundTransmit transmit:
                    SendObject(transmit.EncodedFrame ?? (transmit.Channel is { } channel
                        ? Frames.Publish(channel, transmit.InnerData)
                        : Frames.Event(transmit.Event, transmit.Data)));
                    break;
            }
        }
        catch (Exception e)
        {
            EmitError(e);
        }
    }

    private async Task PumpOutboundAsync()
    {
        while (true)
        {
            OutboundItem item;
            lock (_outboundGate)
            {
                if (!_outboundQueue.TryDequeue(out item!))
                {
                    _outboundPumping = false;
                    return;
                }
            }
            if (!NeedsMiddleware(item))
            {
                lock (_outboundGate) SendNow(item);
                continue;
            }
            try
            {
                await SendTransmitAsync((OutboundTransmit)item).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_closedCts.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                EmitError(e);
            }
        }
    }

    /// <summary>Called once the socket has ended: invokes still queued fail like the ones already sent.</summary>
    private void EndOutbound()
    {
        List<OutboundItem> left;
        lock (_outboundGate)
        {
            _outboundEnded = true;
            left = [.. _outboundQueue];
            _outboundQueue.Clear();
        }
        foreach (var item in left)
            if (item is OutboundInvoke invoke)
                invoke.Completion.TrySetException(ScErrors.EventAborted(invoke.Event, "disconnect", CloseCodes.GoingAway, null));
    }

    private async Task SendTransmitAsync(OutboundTransmit transmit)
    {
        if (transmit.Channel is not { } channel)
        {
            SendObject(transmit.EncodedFrame ?? Frames.Event(transmit.Event, transmit.Data));
            return;
        }

        if (_outboundMiddleware is null)
        {
            SendObject(transmit.EncodedFrame ?? Frames.Publish(channel, transmit.InnerData));
            return;
        }
        var action = new MiddlewareAction(ActionTypes.PublishOut) { Socket = this, Channel = channel, Data = transmit.InnerData };
        MiddlewareAction.AllowResult? result;
        try
        {
            result = await RunMiddlewareAsync(_outboundMiddleware, action).ConfigureAwait(false);
        }
        catch (ActionBlockedException)
        {
            return; // this socket silently skips the delivery
        }
        var useCache = result?.UseCache ?? false;
        if (useCache && transmit.EncodedFrame is { } cached) SendObject(cached);
        else SendObject(Frames.Publish(channel, DataAfter(action, result)));
    }
}
