using SocketCluster.Protocol;

namespace SocketCluster.Server;

public sealed partial class ServerSocket
{
    private int _slowConsumerClosed;

    /// <summary>Messages received and not yet processed (the official getInboundBackpressure()).</summary>
    public int GetInboundBackpressure() => _inbound.Reader.Count;

    /// <summary>
    /// Packets prepared for this client and not yet handed to the transport (the official getOutboundBackpressure()):
    /// those waiting for PUBLISH_OUT middleware and the frames queued for writing.
    /// </summary>
    public int GetOutboundBackpressure()
    {
        int waiting;
        lock (_outboundGate) waiting = _outboundQueue.Count;
        return waiting + _sender.BufferedFrames;
    }

    /// <summary>
    /// The largest backpressure of the socket: inbound, outbound, and the items waiting in its receiver, procedure
    /// and listener streams (the official getBackpressure()).
    /// </summary>
    public int GetBackpressure() =>
        Math.Max(Math.Max(GetInboundBackpressure(), GetOutboundBackpressure()),
            Math.Max(_receivers.Backpressure(), Math.Max(_procedures.Backpressure(), _listeners.Backpressure())));

    /// <summary>Bytes queued for this client and not yet handed to the transport, bounded by OutboundBufferLimit (OB-001).</summary>
    public long OutboundBufferedBytes => _sender.BufferedBytes;

    /// <summary>
    /// Called after a frame is queued. A client that does not read while frames keep coming (a slow consumer) is
    /// disconnected once its buffer passes the limit, as NATS does (OB-001): its queued frames are dropped, the close
    /// frame 4100 goes next, and the server warns. Nothing else waits for it, so other sockets are unaffected.
    /// </summary>
    private void EnforceOutboundLimit()
    {
        if (_options.OutboundBufferLimit is not { } limit) return;
        var buffered = _sender.BufferedBytes;
        // A single frame above the limit is still sent when nothing else waits (a large message is not a slow reader).
        if (buffered <= limit || _sender.BufferedFrames <= 1) return;
        if (Interlocked.Exchange(ref _slowConsumerClosed, 1) == 1) return;
        var reason = $"Outbound buffer limit of {limit} bytes exceeded";
        _sender.DiscardDataFrames();
        EmitError(new ScError("SlowConsumerError", $"Socket {Id} was disconnected: {buffered} bytes were waiting to be sent, above the outboundBufferLimit of {limit} bytes"));
        Destroy(CloseCodes.OutboundBufferLimitExceeded, reason);
        CloseTransport(CloseCodes.OutboundBufferLimitExceeded, reason);
    }
}
