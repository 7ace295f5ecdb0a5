using System.Text.Json;
using Conformance.Engine.Support;
using SocketCluster.Protocol;

namespace SocketCluster.Server.Redis.Tests;

/// <summary>Two brokers (two nodes) on one real Redis: sharing, refcounting and order (CL-001..CL-004).</summary>
public sealed class RedisBrokerTests : IAsyncLifetime
{
    private RedisServerProcess _redis = null!;
    private RedisBroker _nodeA = null!;
    private RedisBroker _nodeB = null!;

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisServerProcess.StartNewAsync();
        _nodeA = new RedisBroker(_redis.Configuration);
        _nodeB = new RedisBroker(_redis.Configuration);
    }

    public async ValueTask DisposeAsync()
    {
        await _nodeA.DisposeAsync();
        await _nodeB.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Fact]
    public async Task A_publication_on_one_node_reaches_subscribers_on_both_nodes_with_the_ready_frame()
    {
        var onA = new RecordingSubscriber("a1");
        var onB = new RecordingSubscriber("b1");
        await _nodeA.SubscribeAsync(onA, "news");
        await _nodeB.SubscribeAsync(onB, "news");

        await _nodeB.InvokePublishAsync("news", Json("""{"n":1}"""));

        var atA = await onA.NextAsync();
        Assert.Equal(("news", """{"n":1}"""), (atA.Channel, atA.Data));
        Assert.Equal(Frames.Publish("news", Json("""{"n":1}""")), atA.Frame);
        Assert.Equal("""{"n":1}""", (await onB.NextAsync()).Data);
    }

    [Fact]
    public async Task Absent_data_stays_absent_and_null_stays_null()
    {
        var onA = new RecordingSubscriber("a1");
        await _nodeA.SubscribeAsync(onA, "c");
        _nodeB.TransmitPublish("c", null);
        _nodeB.TransmitPublish("c", Json("null"));
        Assert.Equal("<absent>", (await onA.NextAsync()).Data);
        Assert.Equal("null", (await onA.NextAsync()).Data);
    }

    [Fact]
    public async Task A_node_holds_one_Redis_subscription_per_channel_while_any_local_subscriber_holds_it()
    {
        var first = new RecordingSubscriber("s1");
        var second = new RecordingSubscriber("s2");
        const string redisChannel = "socketcluster:shared";

        await _nodeA.SubscribeAsync(first, "shared");
        await _nodeA.SubscribeAsync(second, "shared");
        Assert.Equal(1, await _redis.SubscriberCountAsync(redisChannel));

        await _nodeA.UnsubscribeAsync(first, "shared");
        Assert.Equal(1, await _redis.SubscriberCountAsync(redisChannel));
        await _nodeB.InvokePublishAsync("shared", Json("1"));
        Assert.Equal("1", (await second.NextAsync()).Data);
        Assert.True(await first.NothingWithinAsync(TimeSpan.FromMilliseconds(300)));

        await _nodeA.UnsubscribeAsync(second, "shared");
        await Waits.UntilAsync(async () => await _redis.SubscriberCountAsync(redisChannel) == 0, Waits.Delivery, "the last unsubscribe releases the Redis channel");
        Assert.Empty(_nodeA.Channels);

        // A new subscriber takes the channel again.
        await _nodeA.SubscribeAsync(first, "shared");
        Assert.Equal(1, await _redis.SubscriberCountAsync(redisChannel));
    }

    [Fact]
    public async Task One_publishers_publications_arrive_in_order_on_another_node()
    {
        var onA = new RecordingSubscriber("a1");
        await _nodeA.SubscribeAsync(onA, "ordered");
        const int count = 500;
        for (var i = 0; i < count; i++)
        {
            if (i % 2 == 0) _nodeB.TransmitPublish("ordered", Json(i.ToString()));
            else _ = _nodeB.InvokePublishAsync("ordered", Json(i.ToString()));
        }
        for (var i = 0; i < count; i++) Assert.Equal(i.ToString(), (await onA.NextAsync()).Data);
    }

    [Fact]
    public async Task Publications_of_a_channel_nobody_holds_go_nowhere_and_unknown_unsubscribes_are_ignored()
    {
        var onA = new RecordingSubscriber("a1");
        await _nodeA.SubscribeAsync(onA, "x");
        await _nodeB.InvokePublishAsync("y", Json("1"));
        await _nodeA.UnsubscribeAsync(onA, "never-subscribed");
        Assert.True(await onA.NothingWithinAsync(TimeSpan.FromMilliseconds(300)));
    }
}
