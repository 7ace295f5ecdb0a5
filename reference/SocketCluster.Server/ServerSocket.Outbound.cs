using System.Text.Json;
using SocketCluster.Protocol;
using SocketCluster.Server.Middleware;

namespace SocketCluster.Server;

public sealed partial class ServerSocket
{
    private abstract record OutboundItem;

    /// <summary>A transmit; for a #publish delivery Channel/InnerData feed PUBLISH_OUT and EncodedFrame is the shared frame.</summary>
    private sealed record OutboundTransmit(string Event, JsonElement? Data, string? EncodedFrame, string? Channel = null, JsonElement? InnerData = null) : OutboundItem;

    private sealed record OutboundInvoke(string Event, JsonElement? Data, int AckTimeout, TaskCompletionSource<JsonElement?> Completion) : OutboundItem;

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
        _outbound.Writer.TryWrite(new OutboundTransmit(eventName, data, encodedFrame));

    void Broker.IBrokerSubscriber.DeliverPublish(string channel, JsonElement? data, string encodedFrame)
    {
        if (State != SocketState.Open)
        {
            EmitError(ScErrors.BadConnection($"Socket transmit {EventNames.Publish} event was aborted due to a bad connection", "connectAbort"));
            return;
        }
        _outbound.Writer.TryWrite(new OutboundTransmit(EventNames.Publish, null, encodedFrame, channel, data));
    }

    /// <summary>
    /// Outbound packets are processed in order; a delayed PUBLISH_OUT holds back what is queued behind it for this
    /// socket only. Responses do not pass here (they are written at once, as the official server does).
    /// </summary>
    private async Task ProcessOutboundLoopAsync()
    {
        await foreach (var item in _outbound.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                switch (item)
                {
                    case OutboundInvoke invoke:
                        SendInvoke(invoke);
                        break;
                    case OutboundTransmit transmit:
                        await SendTransmitAsync(transmit).ConfigureAwait(false);
                        break;
                }
            }
            catch (OperationCanceledException) when (_closedCts.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                EmitError(e);
            }
        }
        // Invokes still queued when the socket ended fail like the ones already sent.
        while (_outbound.Reader.TryRead(out var left))
            if (left is OutboundInvoke invoke)
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
