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
    /// Sends an event without expecting a response. Null data means no "data" key (JSON null is
    /// <see cref="ScCodec.NullElement"/>), the same convention as the server's Transmit.
    /// </summary>
    /// <remarks>
    /// Never fails for the connection's state: before the connection is open it waits in the offline queue (and
    /// connects a closed socket); it is dropped if it waits longer than the ackTimeout or the connection attempt fails.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="eventName"/> is null.</exception>
    public void Transmit(string eventName, JsonElement? data = null, CallOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ProcessOutboundEvent(new PendingCall(eventName, data, null), options);
    }

    /// <summary>
    /// Transmits a .NET value serialised with <see cref="ClientOptions.SerializerOptions"/>; null means no "data" key.
    /// </summary>
    /// <remarks>
    /// Never throws for the data: a value that cannot be serialised (a cycle, a delegate, NaN) is dropped and
    /// reported as a <see cref="JsonException"/> on the 'error' listener, as the official client reports a failed
    /// JSON.stringify.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="eventName"/> is null.</exception>
    public void Transmit(string eventName, object? data, CallOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        if (TryEncode(data, out var encoded)) Transmit(eventName, encoded, options);
    }

    /// <summary>The data of a transmit, or false (reported on the 'error' listener) when it cannot be serialised.</summary>
    private bool TryEncode(object? data, out JsonElement? encoded)
    {
        try
        {
            encoded = ScCodec.ToOptionalData(data, Options.SerializerOptions);
            return true;
        }
        catch (JsonException e)
        {
            ClientLog.TransmitUnserializable(Logger, e);
            lock (Gate) EmitError(e);
            encoded = null;
            return false;
        }
    }

    /// <summary>
    /// Invokes a remote procedure with JSON data (null means no "data" key) and resolves with the response data
    /// (null when the response had none).
    /// </summary>
    /// <remarks>
    /// Argument errors throw synchronously; every other failure faults the returned task. The ackTimeout counts
    /// from this call, offline waiting included.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="eventName"/> is null.</exception>
    /// <exception cref="ScTimeoutException">(The task) no response within the ackTimeout: TimeoutError "Event response for &lt;event&gt; event timed out".</exception>
    /// <exception cref="ScBadConnectionException">(The task) the connection ended (or the connection attempt failed) before the response.</exception>
    /// <exception cref="ScRemoteException">(The task) the server answered with an error (its name, message and extra properties).</exception>
    /// <exception cref="OperationCanceledException">(The task) <paramref name="cancellationToken"/> was cancelled first.</exception>
    /// <exception cref="ObjectDisposedException">(The task) the socket was disposed.</exception>
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

    /// <summary>
    /// Invokes with a .NET value serialised with <see cref="ClientOptions.SerializerOptions"/>; null means no "data" key.
    /// </summary>
    /// <inheritdoc cref="InvokeAsync(string, JsonElement?, CallOptions?, CancellationToken)" path="/remarks"/>
    /// <inheritdoc cref="InvokeAsync(string, JsonElement?, CallOptions?, CancellationToken)" path="/exception"/>
    /// <exception cref="JsonException">(The task) the data cannot be serialised (a cycle, a delegate, NaN); nothing is sent.</exception>
    public Task<JsonElement?> InvokeAsync(string eventName, object? data, CallOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        JsonElement? encoded;
        try
        {
            encoded = ScCodec.ToOptionalData(data, Options.SerializerOptions);
        }
        catch (JsonException e)
        {
            return Task.FromException<JsonElement?>(e);
        }
        return InvokeAsync(eventName, encoded, options, cancellationToken);
    }

    /// <summary>Invokes and reads the response as T with <see cref="ClientOptions.SerializerOptions"/> (absent data reads as default).</summary>
    /// <inheritdoc cref="InvokeAsync(string, JsonElement?, CallOptions?, CancellationToken)" path="/remarks"/>
    /// <inheritdoc cref="InvokeAsync(string, JsonElement?, CallOptions?, CancellationToken)" path="/exception"/>
    /// <exception cref="JsonException">(The task) the response does not fit T.</exception>
    public Task<T?> InvokeAsync<T>(string eventName, JsonElement? data = null, CallOptions? options = null,
        CancellationToken cancellationToken = default) =>
        ReadAsync<T>(InvokeAsync(eventName, data, options, cancellationToken));

    /// <summary>Invokes with a .NET value (null: no "data" key) and reads the response as T (absent data reads as default).</summary>
    /// <inheritdoc cref="InvokeAsync(string, JsonElement?, CallOptions?, CancellationToken)" path="/remarks"/>
    /// <inheritdoc cref="InvokeAsync(string, JsonElement?, CallOptions?, CancellationToken)" path="/exception"/>
    /// <exception cref="JsonException">(The task) the data cannot be serialised, or the response does not fit T.</exception>
    public Task<T?> InvokeAsync<T>(string eventName, object? data, CallOptions? options = null,
        CancellationToken cancellationToken = default) =>
        ReadAsync<T>(InvokeAsync(eventName, data, options, cancellationToken));

    private async Task<T?> ReadAsync<T>(Task<JsonElement?> response) =>
        ScCodec.FromData<T>(await response.ConfigureAwait(false), Options.SerializerOptions);

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
            else LogLimited(_unknownResponseLogLimit, s => ClientLog.UnknownResponse(Logger, response.Rid, s));
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
