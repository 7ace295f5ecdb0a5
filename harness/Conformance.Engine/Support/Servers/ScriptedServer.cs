using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Conformance.Engine.Drivers;

namespace Conformance.Engine.Support;

/// <summary>
/// The scripted-server target (STEPS.md §12, issue 11 §4): a bare WebSocket listener on a free loopback port that
/// answers nothing by itself. Every client of the scenario connects to it; each accepted connection waits, unread, until
/// a step binds it to an actor name, and from then on is a server-side <see cref="RawConnection"/> that the steps drive
/// frame by frame (what to answer to the handshake, which frames to send, when to close), the mirror image of the
/// raw-wire driver. With <see cref="WithholdUpgrades"/> it reads upgrade requests and never answers them.
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly WireTranscript _transcript;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly List<IDisposable> _owned = [];
    private readonly int _protocolVersion;

    /// <summary>One upgrade request: accepted (a WebSocket not yet bound to an actor) or withheld (never answered).</summary>
    public sealed record Arrival(string PathAndQuery, WebSocket? Socket, TcpClient Tcp, TimeSpan At);

    public ScriptedServer(int protocolVersion, WireTranscript transcript)
    {
        _protocolVersion = protocolVersion;
        _transcript = transcript;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Endpoint = new ServerEndpoint(new Uri($"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/socketcluster/"),
            "scripted server", protocolVersion);
        _transcript.Note("scripted", $"listening at {Endpoint.WebSocketUrl}");
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public ServerEndpoint Endpoint { get; }

    /// <summary>When set, upgrade requests are read and left unanswered (the client's WebSocket never opens).</summary>
    public bool WithholdUpgrades { get; set; }

    /// <summary>Every upgrade request in arrival order.</summary>
    public EventLog<Arrival> Arrivals { get; } = new();

    /// <summary>Arrivals already bound to an actor (or observed by a negative step) have an index below this.</summary>
    public int Cursor { get; set; }

    /// <summary>Wraps an accepted WebSocket as the server side of actor <paramref name="name"/>; its receive loop starts now.</summary>
    public RawConnection Bind(string name, Arrival arrival)
    {
        if (arrival.Socket is null) throw new InvalidOperationException($"The upgrade request of {name} was withheld: there is no WebSocket to bind.");
        _transcript.Note(name, $"scripted server accepted the connection at {arrival.PathAndQuery}");
        return RawConnection.Accepted(name, Endpoint.At(arrival.PathAndQuery), _protocolVersion, arrival.Socket, arrival.Tcp, _transcript);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient tcp;
            try { tcp = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            lock (_owned) _owned.Add(tcp);
            _ = Task.Run(() => UpgradeAsync(tcp));
        }
    }

    private async Task UpgradeAsync(TcpClient tcp)
    {
        tcp.NoDelay = true;
        var stream = tcp.GetStream();
        WebSocketUpgrade.Request? request;
        try
        {
            using var headerTimeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            headerTimeout.CancelAfter(TimeSpan.FromSeconds(10));
            request = await WebSocketUpgrade.ReadRequestAsync(stream, headerTimeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException) { tcp.Dispose(); return; }
        if (request?.Key is not { } key)
        {
            await WebSocketUpgrade.WriteStatusAsync(stream, 400, "Bad Request").ConfigureAwait(false);
            tcp.Dispose();
            return;
        }
        if (WithholdUpgrades)
        {
            // Kept open and unanswered until the scenario ends (the TCP connection is disposed with the server).
            _transcript.Note("scripted", $"upgrade request {request.PathAndQuery} withheld (no HTTP answer)");
            Arrivals.Add(new Arrival(request.PathAndQuery, null, tcp, _transcript.Now));
            return;
        }
        WebSocket socket;
        try { socket = await WebSocketUpgrade.AcceptAsync(stream, key, _stop.Token).ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException) { tcp.Dispose(); return; }
        lock (_owned) _owned.Add(socket);
        Arrivals.Add(new Arrival(request.PathAndQuery, socket, tcp, _transcript.Now));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        Arrivals.Complete();
        // Bound connections are disposed by their actors first; this ends withheld and never-bound ones.
        lock (_owned)
        {
            foreach (var owned in _owned)
            {
                if (owned is WebSocket ws) ws.Abort();
                owned.Dispose();
            }
            _owned.Clear();
        }
        await Task.WhenAny(_acceptLoop, Task.Delay(2000)).ConfigureAwait(false);
        _stop.Dispose();
    }
}
