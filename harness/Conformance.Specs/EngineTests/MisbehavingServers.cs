using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Conformance.JsHosts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Conformance.Specs.EngineTests;

/// <summary>A server under test that never gives the engine what it waits for (issue 10 §9: the gate never hangs).</summary>
public interface IMisbehavingServer : IAsyncDisposable
{
    /// <summary>ws://127.0.0.1:PORT/socketcluster/</summary>
    Uri Endpoint { get; }

    /// <summary>How many connections it accepted so far (shows the scenarios did reach it).</summary>
    int Accepted { get; }
}

/// <summary>Accepts TCP connections and never answers anything: no HTTP response, no close.</summary>
public sealed class SilentServer : IMisbehavingServer
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentBag<Socket> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _accepted;

    public SilentServer()
    {
        _listener.Start();
        Endpoint = new Uri($"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/socketcluster/");
        _accepting = AcceptAsync();
    }

    public Uri Endpoint { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                // Held open, never read: the upgrade request stays unanswered until the server is disposed.
                _held.Add(await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false));
                Interlocked.Increment(ref _accepted);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        foreach (var socket in _held) socket.Dispose();
        _stop.Dispose();
    }
}

/// <summary>What <see cref="UpgradingServer"/> does once it has accepted the upgrade.</summary>
public enum AfterUpgrade
{
    /// <summary>Drops the TCP connection at once, without a close frame.</summary>
    Drop,

    /// <summary>Keeps the connection open and never sends anything: no handshake response, no ping, no close.</summary>
    Mute,
}

/// <summary>
/// Accepts the WebSocket upgrade at every path (101), then (<see cref="AfterUpgrade.Drop"/>) drops the TCP connection
/// at once, without a close frame:
/// the server of the report, on which the TR-002 rows hung. The drop comes 0 to 3 ms after the 101, so it
/// races whatever the engine does first (its first frame, its close at teardown), and now and then it cuts off the 101
/// itself (the client then sees no HTTP answer at all). With <see cref="AfterUpgrade.Mute"/> it answers nothing instead.
/// </summary>
public sealed class UpgradingServer : IMisbehavingServer
{
    private readonly WebApplication _app;
    private int _accepted;

    private UpgradingServer(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public int Accepted => Volatile.Read(ref _accepted);

    public static async Task<UpgradingServer> StartAsync(AfterUpgrade then)
    {
        var app = LoopbackWebApp.Create(webSockets: new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        var server = new UpgradingServer(app);
        app.Run(async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            Interlocked.Increment(ref server._accepted);
            if (then == AfterUpgrade.Mute)
            {
                // Never reads, never writes: held until the client goes away (or the server stops).
                try { await Task.Delay(Timeout.Infinite, context.RequestAborted); }
                catch (OperationCanceledException) { }
                return;
            }
            await Task.Delay(Random.Shared.Next(0, 4));
            context.Abort();
        });
        server.Endpoint = new Uri($"ws://127.0.0.1:{await LoopbackWebApp.StartAsync(app)}/socketcluster/");
        return server;
    }

    public async ValueTask DisposeAsync() => await LoopbackWebApp.StopAsync(_app);
}
