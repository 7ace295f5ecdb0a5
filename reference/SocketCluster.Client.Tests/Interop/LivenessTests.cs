using SocketCluster.Client;
using SocketCluster.Client.Tests.Infrastructure;
using SocketCluster.Protocol;

namespace SocketCluster.Client.Tests.Interop;

/// <summary>Timer-sensitive tests run alone, not beside other test classes, so a loaded machine cannot starve them.</summary>
[CollectionDefinition(nameof(TimingSensitive), DisableParallelization = true)]
public sealed class TimingSensitive;

/// <summary>Ping/pong (v1 and v2), the ping watchdog (4000), pingTimeoutDisabled, and no pong before the handshake (PP-007..PP-009).</summary>
[Collection(nameof(TimingSensitive))]
public sealed class LivenessTests : InteropTest
{
    public static TheoryData<string, int> TargetsAndProtocols
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var target in new[] { ServerTargets.Node, ServerTargets.CSharp })
                foreach (var protocol in new[] { 1, 2 }) data.Add(target, protocol);
            return data;
        }
    }

    /// <summary>No pings from the server for a minute, but a short advertised pingTimeout.</summary>
    private static readonly ServerOptions SilentServer = new() { PingIntervalMs = 60000, PingTimeoutMs = 2000 };

    /// <summary>Transmits every 100 ms so the server's pong watchdog (reset by any inbound message) never fires.</summary>
    private static async Task KeepTalkingAsync(ClientSocket client, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && client.State == ConnectionState.Open)
        {
            client.Transmit("keepalive");
            try { await Task.Delay(100, stop); } catch (OperationCanceledException) { }
        }
    }

    [Theory, MemberData(nameof(TargetsAndProtocols))]
    public async Task Pings_are_answered_so_the_connection_outlives_several_ping_timeouts(string target, int protocol)
    {
        var server = await SharedServerAsync(target, new ServerOptions { ProtocolVersion = protocol, PingIntervalMs = 300, PingTimeoutMs = 1500 });
        await using var client = await TestClients.ConnectAsync(server);
        await using var all = client.AllEvents().CreateConsumer();
        var id = client.Id;

        await Task.Delay(4500);
        await client.FlushEventsAsync();
        var pings = 0;
        while (all.TryRead(out var e))
        {
            Assert.NotEqual(ClientEvents.Disconnect, e.Name);
            if (e.Event is MessageEvent m && m.Message == PingPong.Ping(protocol)) pings++;
        }
        Assert.True(pings >= 5, $"only {pings} pings");
        Assert.Equal(ConnectionState.Open, client.State);
        Assert.Equal(id, client.Id);
    }

    /// <summary>
    /// Advertises a 2 s pingTimeout but neither pings nor enforces pongs itself: only the client's watchdog can end the
    /// connection, so nothing needs to be sent meanwhile. (Sending would race the watchdog: a send after the timeout
    /// has elapsed but before its timer callback runs takes the official stale-socket path and closes with 1000.)
    /// </summary>
    private static readonly ServerOptions NeverPingingServer = new() { PingIntervalMs = 60000, PingTimeoutMs = 2000, PingTimeoutDisabled = true };

    [Theory, MemberData(nameof(Targets))]
    public async Task C35_ping_watchdog_uses_connectTimeout_then_the_server_pingTimeout_and_closes_with_4000(string target)
    {
        var server = await SharedServerAsync(target, NeverPingingServer);
        var client = SocketClusterClient.Create(server.ClientOptions() with
        {
            ConnectTimeout = TimeSpan.FromMilliseconds(5000), // generous: a 4007 on a loaded machine would spoil the test
            AutoReconnectOptions = new AutoReconnectOptions { InitialDelay = TimeSpan.FromSeconds(30), Randomness = TimeSpan.Zero },
        });
        await using var _ = client;
        Assert.Equal(TimeSpan.FromMilliseconds(5000), client.PingTimeout);
        await using var all = client.AllEvents().CreateConsumer();
        client.Connect();
        await all.NextOfAsync<ConnectEvent>(ClientEvents.Connect);
        var connected = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(TimeSpan.FromMilliseconds(2000), client.PingTimeout);

        var disconnect = await all.NextOfAsync<DisconnectEvent>(ClientEvents.Disconnect);
        var watchdog = connected.Elapsed;
        Assert.Equal(CloseCodes.ServerPingTimedOut, disconnect.Code);
        Assert.Equal("Server ping timed out", disconnect.Reason);
        // The watchdog runs the advertised 2000 ms from the handshake response. Lower bound 1000 ms: the connect event
        // reaches this test after the timer started, by far less than a second even on a loaded machine. Upper bound
        // 4000 ms: below the 5000 ms connectTimeout (a watchdog still on connectTimeout, or on a fixed default, fails),
        // leaving 2 s for a late timer callback and event delivery.
        Assert.InRange(watchdog, TimeSpan.FromMilliseconds(1000), TimeSpan.FromMilliseconds(4000));
        var error = await all.NextOfAsync<ErrorEvent>(ClientEvents.Error);
        var protocolError = Assert.IsAssignableFrom<ScError>(error.Error);
        Assert.Equal(ScErrorNames.SocketProtocolError, protocolError.Name);
        Assert.Equal(4000, protocolError["code"]!.GetValue<int>());
        // 4000 reconnects at once on the first attempt, despite the 30 s initial delay.
        await all.NextOfAsync<ConnectEvent>(ClientEvents.Connect);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C36_pingTimeoutDisabled_keeps_the_connection_without_pings(string target)
    {
        var server = await SharedServerAsync(target, SilentServer);
        await using var client = await TestClients.ConnectAsync(server, o => o with
        {
            PingTimeoutDisabled = true,
            ConnectTimeout = TimeSpan.FromMilliseconds(2000),
        });
        await using var all = client.AllEvents().CreateConsumer();
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(3000));
        await KeepTalkingAsync(client, stop.Token);
        await client.FlushEventsAsync();
        while (all.TryRead(out var e))
            Assert.DoesNotContain(e.Name, new string[] { ClientEvents.Error, ClientEvents.Disconnect });
        Assert.Equal(ConnectionState.Open, client.State);
    }

    [Theory, MemberData(nameof(TargetsAndProtocols))]
    public async Task No_pong_is_sent_before_the_handshake(string target, int protocol)
    {
        // The server pings every 200 ms from the socket's creation; the client delays its handshake by 1.2 s.
        // A pong before the #handshake would make the official server close with 4009.
        var server = await SharedServerAsync(target, new ServerOptions { ProtocolVersion = protocol, PingIntervalMs = 200, PingTimeoutMs = 3000 });
        var client = SocketClusterClient.Create(server.ClientOptions() with { AuthEngine = new SlowTokenStore(TimeSpan.FromMilliseconds(1200)) });
        await using var _ = client;
        await using var all = client.AllEvents().CreateConsumer();
        client.Connect();

        var pingsBeforeHandshake = 0;
        while (true)
        {
            var e = await all.NextAsync();
            Assert.NotEqual(ClientEvents.ConnectAbort, e.Name);
            if (e.Event is MessageEvent m && m.Message == PingPong.Ping(protocol)) pingsBeforeHandshake++;
            if (e.Name == ClientEvents.Connect) break;
        }
        Assert.True(pingsBeforeHandshake >= 2, $"only {pingsBeforeHandshake} pings before the handshake");
        Assert.Equal("\"ok\"", TestClients.Json(await client.InvokeAsync("conformance.echo", "ok")));
    }
}
