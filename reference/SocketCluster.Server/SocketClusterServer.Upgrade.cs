using System.Text;
using Microsoft.AspNetCore.Http;
using SocketCluster.Protocol;
using SocketCluster.Server.Middleware;

namespace SocketCluster.Server;

public sealed partial class SocketClusterServer
{
    /// <summary>
    /// ASP.NET Core middleware: WebSocket upgrades are SocketCluster connections (like ws attached to Node's
    /// 'upgrade' event): the path must equal the path option exactly (else 400), HANDSHAKE_WS middleware may refuse
    /// with 401, the origins check with 403. Other requests go on to the app.
    /// </summary>
    public async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        var path = context.Request.PathBase.Add(context.Request.Path).Value;
        if (!string.Equals(path, Options.Path, StringComparison.Ordinal) || _closing)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "Bad Request").ConfigureAwait(false);
            return;
        }

        var request = UpgradeRequest.From(context);
        var handshakeMiddleware = StartSocketMiddleware(MiddlewareTypes.Handshake);
        var action = new MiddlewareAction(ActionTypes.HandshakeWS) { Request = request };
        try
        {
            await MiddlewareRunner.RunAsync(handshakeMiddleware, action, Options.MiddlewareEmitFailures, EmitWarning, context.RequestAborted)
                .ConfigureAwait(false);
        }
        catch (ActionBlockedException blocked)
        {
            handshakeMiddleware?.Close();
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, blocked.ClientError.Message).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException)
        {
            handshakeMiddleware?.Close();
            return;
        }

        if (!_origins.IsAllowed(request.Origin))
        {
            var error = new ScError(ScErrorNames.ServerProtocolError, $"Failed to authorize socket handshake - Invalid origin: {request.Origin ?? "*"}");
            EmitWarning(error);
            handshakeMiddleware?.Close();
            await RefuseAsync(context, StatusCodes.Status403Forbidden, error.Message).ConfigureAwait(false);
            return;
        }

        System.Net.WebSockets.WebSocket webSocket;
        try
        {
            // No WebSocket-level keep-alive pings: liveness is the protocol's own text ping/pong.
            webSocket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.Zero })
                .ConfigureAwait(false);
        }
        catch (InvalidOperationException) when (!context.Response.HasStarted)
        {
            // Kestrel's MaxConcurrentUpgradedConnections is reached (capped below the open-files limit by
            // AddSocketCluster): a refusal the client can retry, not an unhandled 500.
            handshakeMiddleware?.Close();
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable: the server holds as many connections as it can").ConfigureAwait(false);
            return;
        }
        await AcceptAsync(webSocket, request, handshakeMiddleware).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs an accepted WebSocket as a server socket until it closes. Also the entry of the in-memory fuzzer
    /// (SocketCluster.Fuzz.Tests), which hands it a WebSocket over a pipe instead of a Kestrel connection.
    /// </summary>
    internal async Task AcceptAsync(System.Net.WebSockets.WebSocket webSocket, UpgradeRequest request, MiddlewareStream? handshakeMiddleware = null)
    {
        var socket = new ServerSocket(this, GenerateId(), webSocket, request, handshakeMiddleware);
        AddPending(socket);
        Emit(ServerEvents.Handshake, new HandshakeEvent(socket));
        await socket.RunAsync().ConfigureAwait(false);
    }

    private static async Task RefuseAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html";
        var body = Encoding.UTF8.GetBytes(message);
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body).ConfigureAwait(false);
    }
}
