using System.Text.Json;
using System.Threading.Channels;
using SocketCluster.Server.Broker;

namespace SocketCluster.Server.Redis.Tests;

/// <summary>A broker subscriber that records every delivery (channel, data as JSON text or "&lt;absent&gt;").</summary>
internal sealed class RecordingSubscriber(string id) : IBrokerSubscriber
{
    private readonly Channel<(string Channel, string Data, string Frame)> _deliveries = Channel.CreateUnbounded<(string, string, string)>();

    public string Id { get; } = id;

    public void DeliverPublish(string channel, JsonElement? data, string encodedFrame) =>
        _deliveries.Writer.TryWrite((channel, data?.GetRawText() ?? "<absent>", encodedFrame));

    public async Task<(string Channel, string Data, string Frame)> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Waits.Delivery);
        return await _deliveries.Reader.ReadAsync(cts.Token);
    }

    /// <summary>Nothing arrives within the window (a bounded negative check).</summary>
    public async Task<bool> NothingWithinAsync(TimeSpan window)
    {
        using var cts = new CancellationTokenSource(window);
        try
        {
            await _deliveries.Reader.WaitToReadAsync(cts.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }
}

/// <summary>Deadlines of these tests (generous: the 2-core box is shared with other builds).</summary>
internal static class Waits
{
    /// <summary>A publication over a local Redis takes well under 10 ms; 10 s only absorbs a starved machine.</summary>
    public static readonly TimeSpan Delivery = TimeSpan.FromSeconds(10);

    /// <summary>Reconnection: the broker retries every second (RedisBrokerOptions.ReconnectInterval); 20 s covers slow restarts.</summary>
    public static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(20);

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: not within {timeout.TotalSeconds} s");
            await Task.Delay(50);
        }
    }
}
