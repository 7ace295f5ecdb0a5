using Conformance.Engine.Support;
using SocketCluster.Client;
using SocketCluster.Protocol;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using SocketCluster.Sample.Fixture;

namespace SocketCluster.Server.Redis.Tests;

/// <summary>Two sample nodes (AddRedisBroker via --redis) on one real Redis, driven by the C# client.</summary>
public sealed class ClusterNodeTests : IAsyncLifetime
{
    private RedisServerProcess _redis = null!;
    private SampleServerHandle _nodeA = null!;
    private SampleServerHandle _nodeB = null!;

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisServerProcess.StartNewAsync();
        _nodeA = await SampleServer.StartAsync(redis: _redis.Configuration);
        _nodeB = await SampleServer.StartAsync(redis: _redis.Configuration);
    }

    public async ValueTask DisposeAsync()
    {
        await _nodeA.DisposeAsync();
        await _nodeB.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private static ClientSocket Connect(SampleServerHandle node) =>
        SocketClusterClient.Create(new ClientOptions { Hostname = "127.0.0.1", Port = node.Port, AutoReconnect = false });

    [Fact]
    public async Task The_sample_node_uses_the_Redis_broker()
    {
        Assert.IsType<RedisBroker>(_nodeA.Server.Broker);
    }

    [Fact]
    public async Task Client_and_exchange_publications_on_one_node_reach_a_client_on_the_other()
    {
        await using var subscriber = Connect(_nodeA);
        await using var publisher = Connect(_nodeB);
        var channel = subscriber.Subscribe("cross");
        var consumer = channel.CreateConsumer();
        await channel.Listener("subscribe").OnceAsync(Waits.Delivery);

        // One publisher (the client), then another (node B's exchange): each one's order holds (CL-004).
        await publisher.InvokePublishAsync("cross", new { n = 1 });
        publisher.TransmitPublish("cross", 2);
        await publisher.InvokePublishAsync("cross", 3);
        Assert.Equal("""{"n":1}""", (await consumer.NextAsync(Waits.Delivery))?.GetRawText());
        Assert.Equal("2", (await consumer.NextAsync(Waits.Delivery))?.GetRawText());
        Assert.Equal("3", (await consumer.NextAsync(Waits.Delivery))?.GetRawText());

        await _nodeB.Server.Exchange.InvokePublishAsync("cross", "from the exchange of B");
        _nodeB.Server.Exchange.TransmitPublish("cross");
        Assert.Equal("\"from the exchange of B\"", (await consumer.NextAsync(Waits.Delivery))?.GetRawText());
        Assert.Null(await consumer.NextAsync(Waits.Delivery));
    }

    [Fact]
    public async Task Redis_unreachable_at_start_is_an_error_on_the_servers_error_stream_when_the_app_starts()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSocketCluster().AddRedisBroker($"127.0.0.1:{RedisServerProcess.FreePort()}");
        await using var app = builder.Build();
        var server = app.MapSocketCluster("/socketcluster/");
        var error = server.Listener(ServerEvents.Error).OnceAsync(Waits.Delivery);
        await app.StartAsync();
        try
        {
            var reported = Assert.IsType<ScError>((await error).Error);
            Assert.Equal(ScErrorNames.BrokerError, reported.Name);
            Assert.Contains("unreachable", reported.Message);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task Redis_lost_is_an_error_on_the_servers_error_stream_and_client_publishes_get_a_BrokerError()
    {
        await using var publisher = Connect(_nodeB);
        await publisher.InvokePublishAsync("warm-up", 0);
        var error = _nodeB.Server.Listener(ServerEvents.Error).OnceAsync(Waits.Reconnect);

        await _redis.StopAsync();

        var reported = Assert.IsType<ScError>((await error).Error);
        Assert.Equal(ScErrorNames.BrokerError, reported.Name);
        await Waits.UntilAsync(() => Task.FromResult(!((RedisBroker)_nodeB.Server.Broker).IsConnected), Waits.Reconnect, "node B sees Redis gone");
        var rejected = await Assert.ThrowsAnyAsync<ScError>(() => publisher.InvokePublishAsync("c", 1));
        Assert.Equal(ScErrorNames.BrokerError, rejected.Name);
        await _redis.StartAsync();
    }
}
