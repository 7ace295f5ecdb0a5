using System.Text.Json;

namespace SocketCluster.Client;

/// <summary>
/// One outbound event: waiting in the offline queue, then (for invokes) in the invocation table under its cid
/// until the response, the ack timeout or the connection's end completes it exactly once.
/// </summary>
internal sealed class PendingCall(string eventName, JsonElement? data, Action<Exception?, JsonElement?>? callback)
{
    public string Event { get; } = eventName;
    public JsonElement? Data { get; } = data;

    /// <summary>Null for a transmit (no response expected).</summary>
    public Action<Exception?, JsonElement?>? Callback { get; } = callback;

    public bool ExpectsResponse => Callback is not null;
    public long? Cid { get; set; }
    public Transport? SentOn { get; set; }
    public ITimer? Timer { get; set; }
    public LinkedListNode<PendingCall>? QueueNode { get; set; }
    public bool IsDone { get; private set; }

    /// <summary>Runs the callback once (under the socket lock); later outcomes are ignored.</summary>
    public void Complete(Exception? error, JsonElement? result)
    {
        if (IsDone) return;
        IsDone = true;
        Timer?.Dispose();
        Timer = null;
        Callback?.Invoke(error, result);
    }

    /// <summary>Forgets the call without running its callback (official cancelPendingResponse).</summary>
    public void Cancel()
    {
        IsDone = true;
        Timer?.Dispose();
        Timer = null;
    }
}
