using System.Text.Json;
using Conformance.Engine.Support;
using SocketCluster.Protocol;

namespace SocketCluster.Server.Redis.Tests;

/// <summary>
/// Redis unreachable at start, lost mid-run and back again, with a real redis-server process stopped (SIGKILL) and
/// started again on the same port: the connection error is reported, publishes and subscribes fail at once with a
/// BrokerError, and every channel still held is subscribed again when Redis is back (the table "When Redis is away" in the broker's README).
/// </summary>
public sealed class RedisFailureTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static RedisBroker Broker(RedisServerProcess redis) =>
        new(new RedisBrokerOptions { Configuration = redis.Configuration, ReconnectInterval = TimeSpan.FromMilliseconds(200), ConnectTimeout = TimeSpan.FromSeconds(2) });

    [Fact]
    public async Task Unreachable_at_start_the_node_starts_rejects_publishes_and_works_once_Redis_is_up()
    {
        await using var redis = RedisServerProcess.Create();
        await using var broker = Broker(redis);
        Assert.False(broker.IsConnected);
        Assert.Equal(ScErrorNames.BrokerError, Assert.IsType<ScError>(broker.UnavailableError()).Name);

        var publish = await Assert.ThrowsAsync<ScError>(() => broker.InvokePublishAsync("c", Json("1")));
        Assert.Equal(ScErrorNames.BrokerError, publish.Name);
        Assert.Contains("unavailable", publish.Message);
        var subscriber = new RecordingSubscriber("s");
        var subscribe = await Assert.ThrowsAsync<ScError>(() => broker.SubscribeAsync(subscriber, "c"));
        Assert.Equal(ScErrorNames.BrokerError, subscribe.Name);
        Assert.Empty(broker.Channels);
        var transmitErrors = new List<Exception>();
        broker.Error += transmitErrors.Add;
        broker.TransmitPublish("c", Json("1"));
        Assert.Equal(ScErrorNames.BrokerError, Assert.IsType<ScError>(Assert.Single(transmitErrors)).Name);

        await redis.StartAsync();
        await Waits.UntilAsync(() => Task.FromResult(broker.IsConnected), Waits.Reconnect, "the broker connects once Redis is up");
        Assert.Null(broker.UnavailableError());
        await broker.SubscribeAsync(subscriber, "c");
        await broker.InvokePublishAsync("c", Json("2"));
        Assert.Equal("2", (await subscriber.NextAsync()).Data);
    }

    [Fact]
    public async Task Lost_mid_run_is_reported_rejects_publishes_and_every_held_channel_is_subscribed_again()
    {
        await using var redis = await RedisServerProcess.StartNewAsync();
        await using var nodeA = Broker(redis);
        await using var nodeB = Broker(redis);
        var errors = new List<Exception>();
        nodeA.ConnectionError += e => { lock (errors) errors.Add(e); };
        var restored = 0;
        nodeA.ConnectionRestored += () => Interlocked.Increment(ref restored);
        var held = new RecordingSubscriber("held");
        var left = new RecordingSubscriber("left");
        await nodeA.SubscribeAsync(held, "one");
        await nodeA.SubscribeAsync(held, "two");
        await nodeA.SubscribeAsync(left, "three");

        await redis.StopAsync();
        await Waits.UntilAsync(() => Task.FromResult(!nodeA.IsConnected && !nodeB.IsConnected), Waits.Reconnect, "both nodes see Redis gone");
        await Waits.UntilAsync(() => { lock (errors) return Task.FromResult(errors.Count > 0); }, Waits.Reconnect, "the loss is reported");
        lock (errors) Assert.All(errors, e => Assert.Equal(ScErrorNames.BrokerError, Assert.IsType<ScError>(e).Name));
        var rejected = await Assert.ThrowsAsync<ScError>(() => nodeB.InvokePublishAsync("one", Json("\"lost\"")));
        Assert.Equal(ScErrorNames.BrokerError, rejected.Name);
        // A channel left during the outage is not subscribed again.
        await nodeA.UnsubscribeAsync(left, "three");

        await redis.StartAsync();
        await Waits.UntilAsync(() => Task.FromResult(nodeA.IsConnected && nodeB.IsConnected), Waits.Reconnect, "both nodes reconnect");
        await Waits.UntilAsync(async () => await redis.SubscriberCountAsync("socketcluster:one") == 1 && await redis.SubscriberCountAsync("socketcluster:two") == 1,
            Waits.Reconnect, "node A subscribes its held channels again");
        Assert.Equal(0, await redis.SubscriberCountAsync("socketcluster:three"));
        Assert.True(Volatile.Read(ref restored) > 0);

        await nodeB.InvokePublishAsync("one", Json("\"back\""));
        await nodeB.InvokePublishAsync("two", Json("\"back too\""));
        var first = await held.NextAsync();
        var second = await held.NextAsync();
        Assert.Equal([("one", "\"back\""), ("two", "\"back too\"")], new[] { (first.Channel, first.Data), (second.Channel, second.Data) });
    }
}
