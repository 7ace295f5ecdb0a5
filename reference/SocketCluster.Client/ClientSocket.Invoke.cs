using System.Text.Json;
using SocketCluster.Protocol;

namespace SocketCluster.Client;

/// <summary>
/// The event layer: transmit and invoke through the offline queue, the invocation table (cid → pending call),
/// ack timeouts, and rejection of pending calls when a connection ends.
/// </summary>
public sealed partial class ClientSocket
{
    private long _nextCid = 1;
    private readonly Dictionary<long, PendingCall> _pendingCalls = new();
    private readonly LinkedList<PendingCall> _outboundQueue = new();

    /// <summary>The cid the next request will carry (starts at 1, never reset by a reconnect).</summary>
    internal long NextCid { get { lock (Gate) return _nextCid; } }

    /// <summary>Calls waiting for a response or in the offline queue (zero once a connection has ended).</summary>
    internal int PendingCallCount { get { lock (Gate) return _pendingCalls.Count + _outboundQueue.Count; } }

    /// <summary>
    /// Sends an event without expecting a response. Never fails: before the connection is open it waits in the
    /// offline queue (and connects a closed socket); it is dropped if it waits longer than the ackTimeout or the
    /// connection attempt fails. Null data means no "data" key.
    /// </summary>
    public void Transmit(string eventName, JsonElement? data = null, CallOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ProcessOutboundEvent(new PendingCall(eventName, data, null), options);
    }

    /// <summary>Transmits a .NET value serialised as JSON (a null value is sent as JSON null).</summary>
    public void Transmit(string eventName, object? data, CallOptions? options = null) =>
        Transmit(eventName, ScCodec.ToData(data), options);

    /// <summary>
    /// Invokes a remote procedure. Resolves with the response data (null = no "data" key). Rejects with the
    /// remote error (an <see cref="ScError"/> with its name, message and extra properties), with TimeoutError
    /// after the ackTimeout (counted from this call, offline waiting included), or with BadConnectionError when
    /// the connection ends first.
    /// </summary>
    public Task<JsonElement?> InvokeAsync(string eventName, JsonElement? data = null, CallOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        var completion = new TaskCompletionSource<JsonElement?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var call = new PendingCall(eventName, data, (error, result) =>
        {
            if (error is null) completion.TrySetResult(result);
            else if (error is OperationCanceledException canceled) completion.TrySetCanceled(canceled.CancellationToken);
            else completion.TrySetException(error);
        });
        ProcessOutboundEvent(call, options);
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                lock (Gate)
                {
                    if (call.IsDone) return;
                    Forget(call);
                    call.Complete(new OperationCanceledException(cancellationToken), null);
                }
            });
            completion.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }
        return completion.Task;
    }

    /// <summary>Invokes with a .NET value serialised as JSON.</summary>
    public Task<JsonElement?> InvokeAsync(string eventName, object? data, CallOptions? options = null,
        CancellationToken cancellationToken = default) =>
        InvokeAsync(eventName, ScCodec.ToData(data), options, cancellationToken);

    /// <summary>Invokes and reads the response as T with <see cref="ClientOptions.SerializerOptions"/> (absent data reads as default).</summary>
    /// <exception cref="ScTimeoutException">No response within the ackTimeout.</exception>
    /// <exception cref="ScBadConnectionException">The connection ended before the response.</exception>
    /// <exception cref="ScRemoteException">The server answered with an error (its name, message and extra properties).</exception>
    /// <exception cref="System.Text.Json.JsonException">The response does not fit T.</exception>
    public async Task<T?> InvokeAsync<T>(string eventName, JsonElement? data = null, CallOptions? options = null,
        CancellationToken cancellationToken = default) =>
        ScCodec.FromData<T>(await InvokeAsync(eventName, data, options, cancellationToken).ConfigureAwait(false), Options.SerializerOptions);

    public async Task<T?> InvokeAsync<T>(string eventName, object? data, CallOptions? options = null,
        CancellationToken cancellationToken = default) =>
        ScCodec.FromData<T>(await InvokeAsync(eventName, ScCodec.ToData(data, Options.SerializerOptions), options, cancellationToken).ConfigureAwait(false),
            Options.SerializerOptions);

    /// <summary>Official _processOutboundEvent: stale check, connect if closed, arm the ack timer, queue, flush if open.</summary>
    private void ProcessOutboundEvent(PendingCall call, CallOptions? options)
    {
        lock (Gate)
        {
            if (_disposed)
            {
                call.Complete(new ObjectDisposedException(nameof(ClientSocket)), null);
                return;
            }
            if (_transport is { IsStale: true })
                Disconnect(CloseCodes.Normal, "Stale socket was disconnected by the client to initiate a new connection");
            if (_state == ConnectionState.Closed) Connect();

            // The timer runs for transmits too: a transmit that waits offline longer than this is dropped.
            var timeout = Clamp(options?.AckTimeout ?? Options.AckTimeout);
            call.Timer = Options.TimeProvider.CreateTimer(_ => OnAckTimeout(call), null, timeout, Timeout.InfiniteTimeSpan);
            call.QueueNode = _outboundQueue.AddLast(call);
            if (_state == ConnectionState.Open) FlushOutboundQueue();
        }
    }

    private static TimeSpan Clamp(TimeSpan timeout) =>
        timeout < TimeSpan.Zero ? TimeSpan.Zero
        : timeout > TimeSpan.FromMilliseconds(int.MaxValue) ? TimeSpan.FromMilliseconds(int.MaxValue) : timeout;

    /// <summary>Sends everything queued, in call order (after the handshake and the resubscriptions).</summary>
    private void FlushOutboundQueue()
    {
        while (_state == ConnectionState.Open && _transport is { } transport && _outboundQueue.First is { } node)
        {
            _outboundQueue.RemoveFirst();
            var call = node.Value;
            call.QueueNode = null;
            if (!call.ExpectsResponse) call.Complete(null, null); // a sent transmit is done; its timer stops
            TransmitObject(transport, call);
        }
    }

    /// <summary>Writes one event frame; a call expecting a response gets the next cid and enters the table.</summary>
    private void TransmitObject(Transport transport, PendingCall call, bool alone = false)
    {
        long? cid = null;
        if (call.ExpectsResponse)
        {
            cid = _nextCid++;
            call.Cid = cid;
            call.SentOn = transport;
            _pendingCalls[cid.Value] = call;
        }
        var frame = Frames.Event(call.Event, call.Data, cid);
        if (alone) transport.SendAlone(frame);
        else transport.Send(frame);
    }

    /// <summary>
    /// The #handshake request: sent while the transport is still connecting, bounded by the ackTimeout, and always
    /// in a frame of its own (never part of a batch).
    /// </summary>
    internal void SendHandshake(Transport transport, string? token, Action<Exception?, JsonElement?> onReply)
    {
        var data = Frames.Element(w =>
        {
            if (token is null) w.WriteNull("authToken");
            else w.WriteString("authToken", token);
        });
        var call = new PendingCall(EventNames.Handshake, data, onReply);
        call.Timer = Options.TimeProvider.CreateTimer(_ => OnAckTimeout(call), null, Clamp(Options.AckTimeout), Timeout.InfiniteTimeSpan);
        TransmitObject(transport, call, alone: true);
    }

    /// <summary>Sends a procedure response on the connection the request came from, if it is still there.</summary>
    internal void SendResponse(Transport transport, string frame)
    {
        lock (Gate)
        {
            if (transport == _transport) transport.Send(frame);
        }
    }

    private void OnAckTimeout(PendingCall call)
    {
        lock (Gate)
        {
            if (call.IsDone || (Has(ClientFaults.NoAckTimeout) && call.ExpectsResponse && call.Event != EventNames.Handshake)) return;
            if (Has(ClientFaults.NoHandshakeTimeout) && call.Event == EventNames.Handshake) return; // test-only fault
            Forget(call);
            call.Complete(call.ExpectsResponse ? ScErrors.Timeout(call.Event) : null, null);
        }
    }

    /// <summary>Takes a call out of the offline queue and the invocation table.</summary>
    private void Forget(PendingCall call)
    {
        if (call.QueueNode is { } node)
        {
            _outboundQueue.Remove(node);
            call.QueueNode = null;
        }
        if (call.Cid is { } cid && _pendingCalls.TryGetValue(cid, out var current) && current == call)
            _pendingCalls.Remove(cid);
    }

    /// <summary>A response: completes the matching call; an unknown rid (late, or never sent) is ignored.</summary>
    private void OnResponse(Transport transport, ResponsePacket response)
    {
        if (!_pendingCalls.TryGetValue(response.Rid, out var call) || call.SentOn != transport)
        {
            if (Has(ClientFaults.UnknownRidCloses)) Disconnect(1002, "unknown rid"); // test-only fault
            return;
        }
        _pendingCalls.Remove(response.Rid);
        var error = response.IsError ? ScError.Hydrate(response.Error!.Value) : null;
        call.Complete(error, error is null ? response.Data : null);
    }

    /// <summary>
    /// Rejects every call in flight and every queued invoke with BadConnectionError
    /// ("Event &lt;e&gt; was aborted due to a bad connection", type, code, reason); queued transmits are dropped.
    /// </summary>
    private void AbortAllPendingCalls(string failureType, int code, string? reason)
    {
        var inFlight = _pendingCalls.Values.ToList();
        _pendingCalls.Clear();
        foreach (var call in inFlight)
            call.Complete(ScErrors.EventAborted(call.Event, failureType, code, reason), null);

        var queued = _outboundQueue.ToList();
        _outboundQueue.Clear();
        foreach (var call in queued)
        {
            call.QueueNode = null;
            call.Complete(call.ExpectsResponse ? ScErrors.EventAborted(call.Event, failureType, code, reason) : null, null);
        }
    }
}
