using System.Net.Sockets;
using System.Net.WebSockets;

namespace Conformance.Cli;

/// <summary>Checks, before any scenario runs, that the endpoint accepts a WebSocket upgrade (else exit code 2).</summary>
public static class EndpointProbe
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task CheckAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        using var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(endpoint, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EndpointUnavailableException($"endpoint {endpoint} is unreachable: no WebSocket upgrade within {Timeout.TotalSeconds:0} s");
        }
        catch (WebSocketException e)
        {
            throw new EndpointUnavailableException($"endpoint {endpoint} is unreachable: {Describe(e)}", e);
        }
        catch (HttpRequestException e)
        {
            throw new EndpointUnavailableException($"endpoint {endpoint} is unreachable: {Describe(e)}", e);
        }
        // No #handshake is sent: a strict server closes such sockets anyway; this one says goodbye politely.
        try { await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "probe", timeout.Token); }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
    }

    private static string Describe(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is SocketException socket) return $"{socket.SocketErrorCode} ({socket.Message})";
        var deepest = e;
        while (deepest.InnerException is not null) deepest = deepest.InnerException;
        return deepest.Message;
    }
}
