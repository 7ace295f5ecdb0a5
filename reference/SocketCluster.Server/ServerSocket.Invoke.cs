using System.Text.Json;
using SocketCluster.Protocol;

namespace SocketCluster.Server;

public sealed partial class ServerSocket
{
    /// <summary>One server→client request waiting for its response (the invocation table maps cid → this).</summary>
    private sealed class PendingInvocation(string eventName, TaskCompletionSource<JsonElement?> completion)
    {
        public string Event { get; } = eventName;
        public TaskCompletionSource<JsonElement?> Completion { get; } = completion;
        public Timer? Timer { get; set; }
    }

    /// <summary>Invokes a procedure on the client without data (no "data" key) and returns its response data (null when it had none).</summary>
    /// <inheritdoc cref="InvokeAsync(string, JsonElement?, TimeSpan?, CancellationToken)" path="/exception"/>
    public Task<JsonElement?> InvokeAsync(string eventName, CancellationToken cancellationToken = default) =>
        InvokeAsync(eventName, (JsonElement?)null, null, cancellationToken);

    /// <summary>
    /// Invokes a procedure on the client with a .NET value serialised with
    /// <see cref="Options.SocketClusterServerOptions.SerializerOptions"/>; null data means no "data" key.
    /// </summary>
    /// <remarks>
    /// Only argument errors throw synchronously; every other failure, a value that cannot be serialised included,
    /// faults the returned task.
    /// </remarks>
    /// <inheritdoc cref="InvokeAsync(string, JsonElement?, TimeSpan?, CancellationToken)" path="/exception"/>
    /// <exception cref="JsonException">(The task) the data cannot be serialised (a cycle, a delegate, NaN); nothing is sent.</exception>
    public Task<JsonElement?> InvokeAsync(string eventName, object? data, TimeSpan? ackTimeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        JsonElement? encoded;
        try
        {
            encoded = ScCodec.ToOptionalData(data, _options.SerializerOptions);
        }
        catch (JsonException e)
        {
            return Task.FromException<JsonElement?>(e);
        }
        return InvokeAsync(eventName, encoded, ackTimeout, cancellationToken);
    }

    /// <summary>
    /// Invokes a procedure on the client with JSON data (null means no "data" key; JSON null is
    /// <see cref="ScCodec.NullElement"/>) and returns its response data (null when the response had none).
    /// </summary>
    /// <remarks>Argument errors throw synchronously; the other failures fault the returned task.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="eventName"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ackTimeout"/> is under 1 ms or over the longest timer.</exception>
    /// <exception cref="ScTimeoutException">(The task) no response within ackTimeout: TimeoutError "Event response for &lt;event&gt; event timed out".</exception>
    /// <exception cref="ScBadConnectionException">(The task) the socket is not open, or closed before the response.</exception>
    /// <exception cref="ScRemoteException">(The task) the client answered with an error (its name, message and extra properties).</exception>
    /// <exception cref="OperationCanceledException">(The task) <paramref name="cancellationToken"/> was cancelled first.</exception>
    public Task<JsonElement?> InvokeAsync(string eventName, JsonElement? data, TimeSpan? ackTimeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        if (ackTimeout is { } t && (t < TimeSpan.FromMilliseconds(1) || t > Options.SocketClusterServerOptionsValidator.MaxDuration))
            throw new ArgumentOutOfRangeException(nameof(ackTimeout), ackTimeout, $"ackTimeout must be from 1 ms to {Options.SocketClusterServerOptionsValidator.MaxDuration}.");
        return InvokeCoreAsync(eventName, data, ackTimeout, cancellationToken);
    }

    private async Task<JsonElement?> InvokeCoreAsync(string eventName, JsonElement? data, TimeSpan? ackTimeout, CancellationToken cancellationToken)
    {
        if (State != SocketState.Open)
        {
            var error = ScErrors.BadConnection($"Socket invoke {eventName} event was aborted due to a bad connection", "connectAbort");
            EmitError(error);
            throw error;
        }
        var completion = new TaskCompletionSource<JsonElement?>(TaskCreationOptions.RunContinuationsAsynchronously);
        EnqueueOutbound(new OutboundInvoke(eventName, data, ackTimeout ?? _options.AckTimeout, completion));
        await using var registration = cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken)).ConfigureAwait(false);
        return await completion.Task.ConfigureAwait(false);
    }

    private void SendInvoke(OutboundInvoke invoke)
    {
        if (State == SocketState.Closed)
        {
            invoke.Completion.TrySetException(ScErrors.EventAborted(invoke.Event, "disconnect", CloseCodes.GoingAway, null));
            return;
        }
        var cid = Interlocked.Increment(ref _cid);
        var pending = new PendingInvocation(invoke.Event, invoke.Completion);
        var invocations = LazyInitializer.EnsureInitialized(ref _invocations);
        invocations[cid] = pending;
        pending.Timer = new Timer(_ =>
        {
            if (invocations.TryRemove(cid, out var timedOut))
            {
                timedOut.Timer?.Dispose();
                timedOut.Completion.TrySetException(ScErrors.Timeout(timedOut.Event));
            }
        }, null, invoke.AckTimeout, Timeout.InfiniteTimeSpan);
        // Server-originated requests put the cid before the data, as the official server does.
        SendObject(InvokeFrame(invoke.Event, cid, invoke.Data));
    }

    private static string InvokeFrame(string eventName, long cid, JsonElement? data) =>
        data is { } d
            ? $"{{\"event\":{JsonSerializer.Serialize(eventName)},\"cid\":{cid},\"data\":{ScCodec.Encode(d)}}}"
            : $"{{\"event\":{JsonSerializer.Serialize(eventName)},\"cid\":{cid}}}";

    /// <summary>A response from the client; an unknown rid is ignored.</summary>
    private void HandleResponse(ResponsePacket response)
    {
        if (Volatile.Read(ref _invocations) is not { } invocations || !invocations.TryRemove(response.Rid, out var pending))
        {
            ServerLog.UnknownResponse(_server.Logger, Id, response.Rid);
            return;
        }
        pending.Timer?.Dispose();
        if (response.IsError) pending.Completion.TrySetException(ScError.Hydrate(response.Error!.Value));
        else pending.Completion.TrySetResult(response.Data);
    }

    private void AbortAllPendingInvocations(string failureType, int code, string? reason)
    {
        if (Volatile.Read(ref _invocations) is not { } invocations) return;
        foreach (var cid in invocations.Keys)
        {
            if (!invocations.TryRemove(cid, out var pending)) continue;
            pending.Timer?.Dispose();
            pending.Completion.TrySetException(ScErrors.EventAborted(pending.Event, failureType, code, reason));
        }
    }
}
