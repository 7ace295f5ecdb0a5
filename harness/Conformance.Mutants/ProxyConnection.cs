using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using SocketCluster.Protocol;

namespace Conformance.Mutants;

/// <summary>
/// One relayed connection: a pump per direction feeds the mutation session in arrival order, and one
/// single-writer sender per WebSocket keeps outbound frames (and the close frame) in order.
/// </summary>
internal sealed class ProxyConnection : IRelay
{
    private const long MaxPayload = 100L * 1024 * 1024;
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AbortAfterWrite = TimeSpan.FromMilliseconds(200);

    private readonly HttpContext _context;
    private readonly WebSocket _client;
    private readonly ClientWebSocket _server;
    private readonly MutationSession _session;
    private readonly Action<Exception> _fault;
    private readonly WebSocketSender _toClient;
    private readonly WebSocketSender _toServer;
    private readonly TaskCompletionSource _bothCloseSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _clientCloseSent;
    private int _serverCloseSent;

    public ProxyConnection(HttpContext context, WebSocket client, ClientWebSocket server, MutationSession session,
        string path, string query, Action<Exception> fault)
    {
        _context = context;
        _client = client;
        _server = server;
        _session = session;
        _fault = fault;
        Path = path;
        Query = query;
        _toClient = new WebSocketSender(client);
        _toServer = new WebSocketSender(server);
    }

    public string Path { get; }

    public string Query { get; }

    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await _session.OnOpenedAsync(this).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _fault(e);
        }
        var fromServer = PumpAsync(_server, isServer: true);
        var fromClient = PumpAsync(_client, isServer: false);
        var pumps = Task.WhenAll(fromServer, fromClient);
        // Once both close frames are out, the peers get a grace period to answer before the link is cut.
        var graceAfterClose = _bothCloseSent.Task.ContinueWith(_ => Task.Delay(CloseGrace), TaskScheduler.Default).Unwrap();
        var stopped = Task.Delay(Timeout.Infinite, stopping);
        await Task.WhenAny(pumps, graceAfterClose, stopped).ConfigureAwait(false);
        if (!pumps.IsCompleted)
        {
            AbortClient();
            AbortServer();
            await Task.WhenAny(pumps, Task.Delay(CloseGrace)).ConfigureAwait(false);
        }
        await _toClient.DisposeAsync().ConfigureAwait(false);
        await _toServer.DisposeAsync().ConfigureAwait(false);
    }

    private async Task PumpAsync(WebSocket socket, bool isServer)
    {
        while (true)
        {
            WebSocketInbound inbound;
            try
            {
                inbound = await WebSocketInbound.ReceiveAsync(socket, MaxPayload, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
            {
                // The peer went away without a close frame: the other side sees the same (an abrupt drop).
                if (isServer) { if (Volatile.Read(ref _clientCloseSent) == 0) AbortClient(); }
                else if (Volatile.Read(ref _serverCloseSent) == 0) AbortServer();
                return;
            }

            try
            {
                switch (inbound.Kind)
                {
                    case InboundKind.Close:
                        var code = inbound.CloseCode ?? CloseCodes.NoStatus;
                        var reason = inbound.CloseReason ?? "";
                        if (isServer)
                        {
                            if (Volatile.Read(ref _clientCloseSent) == 0) await _session.OnServerCloseAsync(code, reason, this).ConfigureAwait(false);
                            CloseServer(code, reason); // completes the server's closing handshake
                        }
                        else
                        {
                            if (Volatile.Read(ref _serverCloseSent) == 0) await _session.OnClientCloseAsync(code, reason, this).ConfigureAwait(false);
                            CloseClient(code, reason);
                        }
                        return;
                    case InboundKind.TooBig:
                        if (isServer) AbortClient(); else AbortServer();
                        return;
                    default:
                        var frame = inbound.Kind == InboundKind.Text ? WireFrame.FromText(inbound.Text) : WireFrame.FromBinary(inbound.Bytes!);
                        if (isServer) await _session.OnServerFrameAsync(frame, this).ConfigureAwait(false);
                        else await _session.OnClientFrameAsync(frame, this).ConfigureAwait(false);
                        break;
                }
            }
            catch (Exception e)
            {
                // A mutation bug must not pass for a detected violation silently: record it and cut the link.
                _fault(e);
                AbortClient();
                AbortServer();
                return;
            }
        }
    }

    public void ToClient(WireFrame frame) => _lastToClient = Send(_toClient, frame);

    public void ToServer(WireFrame frame) => _lastToServer = Send(_toServer, frame);

    private Task _lastToClient = Task.CompletedTask;
    private Task _lastToServer = Task.CompletedTask;

    /// <summary>Queues a frame; the task completes once it was written (binary frames are not tracked).</summary>
    private static Task Send(WebSocketSender sender, WireFrame frame)
    {
        if (frame.IsText) return sender.SendAsync(frame.Text);
        sender.SendBinary(frame.Bytes ?? System.Text.Encoding.UTF8.GetBytes(frame.Text));
        return Task.CompletedTask;
    }

    public void CloseClient(int code, string? reason)
    {
        ValidateCode(code);
        if (Interlocked.Exchange(ref _clientCloseSent, 1) == 1) return;
        _ = _toClient.CloseAsync(code, code == CloseCodes.NoStatus ? null : reason);
        if (Volatile.Read(ref _serverCloseSent) == 1) _bothCloseSent.TrySetResult();
    }

    public void CloseServer(int code, string? reason)
    {
        ValidateCode(code);
        if (Interlocked.Exchange(ref _serverCloseSent, 1) == 1) return;
        _ = _toServer.CloseAsync(code, code == CloseCodes.NoStatus ? null : reason);
        if (Volatile.Read(ref _clientCloseSent) == 1) _bothCloseSent.TrySetResult();
    }

    private static void ValidateCode(int code)
    {
        if (code != CloseCodes.NoStatus && !CloseCodes.MaySendOnWire(code))
            throw new ArgumentOutOfRangeException(nameof(code), code, "This close code cannot be sent on the wire; use Abort for 1006.");
    }

    /// <summary>Drops the client connection once the frames already queued for it are written, as a server would.</summary>
    public void AbortClient()
    {
        Interlocked.Exchange(ref _clientCloseSent, 1);
        _ = AfterPending(_lastToClient, () => { _client.Abort(); _context.Abort(); });
    }

    public void AbortServer()
    {
        Interlocked.Exchange(ref _serverCloseSent, 1);
        _ = AfterPending(_lastToServer, _server.Abort);
    }

    private static async Task AfterPending(Task pending, Action abort)
    {
        try { await pending.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false); }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or WebSocketException or IOException or ObjectDisposedException) { }
        // An abort resets the TCP connection, and a reset can discard data the peer has not read yet.
        await Task.Delay(AbortAfterWrite).ConfigureAwait(false);
        abort();
    }
}
