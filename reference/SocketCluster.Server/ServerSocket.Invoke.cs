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

    /// <summary>Invokes a procedure on the client without data and returns its response data (null when it had none).</summary>
    public Task<JsonElement?> InvokeAsync(string eventName, CancellationToken cancellationToken = default) =>
        InvokeDataAsync(eventName, null, null, cancellationToken);

    /// <summary>
    /// Invokes a procedure on the client. Fails with the client's error (<see cref="ScError"/>), with TimeoutError
    /// "Event response for &lt;event&gt; event timed out" after ackTimeout, or with BadConnectionError.
    /// </summary>
    public Task<JsonElement?> InvokeAsync(string eventName, object? data, TimeSpan? ackTimeout = null, CancellationToken cancellationToken = default) =>
        InvokeDataAsync(eventName, ScCodec.ToData(data), ackTimeout, cancellationToken);

    /// <summary>Invokes with data that may be absent: null means no "data" key.</summary>
    public async Task<JsonElement?> InvokeDataAsync(string eventName, JsonElement? data, TimeSpan? ackTimeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        if (ackTimeout is { } t && (t < TimeSpan.FromMilliseconds(1) || t > Options.SocketClusterServerOptionsValidator.MaxDuration))
            throw new ArgumentOutOfRangeException(nameof(ackTimeout), ackTimeout, $"ackTimeout must be from 1 ms to {Options.SocketClusterServerOptionsValidator.MaxDuration}.");
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
        if (Volatile.Read(ref _invocations) is not { } invocations || !invocations.TryRemove(response.Rid, out var pending)) return;
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
