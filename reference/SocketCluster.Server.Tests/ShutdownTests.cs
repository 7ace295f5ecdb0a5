using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketCluster.Server.Tests.Infrastructure;

namespace SocketCluster.Server.Tests;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_the_app_closes_open_sockets_with_1001_and_ends_their_streams()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSocketCluster(o => o.AuthKey = TestHost.AuthKey);
        await using var app = builder.Build();
        var server = app.MapSocketCluster();
        var connections = server.Listener(ServerEvents.Connection).CreateConsumer();
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        await using var client = await RawClient.ConnectAsync(new Uri($"ws://127.0.0.1:{address.Port}/socketcluster/"));
        await client.HandshakeAsync();
        var socket = (await connections.NextAsync(Waits.Long)).Socket;
        var receiverEnded = Task.Run(async () => { await foreach (var _ in socket.Receiver("anything")) { } });

        using var timeout = new CancellationTokenSource(Waits.Long);
        await app.StopAsync(timeout.Token);
        Assert.Equal(1001, (await client.ExpectCloseAsync()).Code);
        await receiverEnded.WithTimeout();
        Assert.Equal(SocketState.Closed, socket.State);
    }
}
