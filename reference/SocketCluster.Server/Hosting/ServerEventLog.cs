using Microsoft.Extensions.Logging;

namespace SocketCluster.Server;

/// <summary>
/// Logs the server's own events through Microsoft.Extensions.Logging (category "SocketCluster.Server"): connections
/// and disconnections (Debug), aborted handshakes and bad auth tokens (Information), warnings (Warning: e.g. blocked
/// middleware actions) and errors (Error). It reads the server's listener streams, so it adds nothing to the
/// protocol path; <see cref="SocketClusterHostingExtensions.AddSocketCluster"/> starts it with the app's logger factory.
/// </summary>
public static partial class ServerEventLog
{
    /// <summary>Starts logging <paramref name="server"/>'s events until the server closes or the token is cancelled.</summary>
    public static void Start(SocketClusterServer server, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(logger);
        // Each loop creates its consumer before RunAsync first yields, so nothing emitted after this call is missed.
        _ = RunAsync(server.Listener(ServerEvents.Connection), e => Connected(logger, e.Socket.Id, e.Socket.RemoteAddress), cancellationToken);
        _ = RunAsync(server.Listener(ServerEvents.Disconnection), e => Disconnected(logger, e.Socket.Id, e.Code, e.Reason), cancellationToken);
        _ = RunAsync(server.Listener(ServerEvents.ConnectionAbort), e => Aborted(logger, e.Socket.Id, e.Code, e.Reason), cancellationToken);
        _ = RunAsync(server.Listener(ServerEvents.BadSocketAuthToken), e => BadAuthToken(logger, e.Socket.Id, e.AuthError.Message), cancellationToken);
        _ = RunAsync(server.Listener(ServerEvents.Warning), e => Warned(logger, e.Warning.Message, e.Warning), cancellationToken);
        _ = RunAsync(server.Listener(ServerEvents.Error), e => Failed(logger, e.Error.Message, e.Error), cancellationToken);
    }

    [LoggerMessage(1, LogLevel.Debug, "Socket {SocketId} connected from {RemoteAddress}")]
    private static partial void Connected(ILogger logger, string socketId, string? remoteAddress);

    [LoggerMessage(2, LogLevel.Debug, "Socket {SocketId} disconnected: {Code} {Reason}")]
    private static partial void Disconnected(ILogger logger, string socketId, int? code, string? reason);

    [LoggerMessage(3, LogLevel.Information, "Socket {SocketId} closed before its handshake completed: {Code} {Reason}")]
    private static partial void Aborted(ILogger logger, string socketId, int? code, string? reason);

    [LoggerMessage(4, LogLevel.Information, "Socket {SocketId} sent a bad auth token: {Reason}")]
    private static partial void BadAuthToken(ILogger logger, string socketId, string? reason);

    [LoggerMessage(5, LogLevel.Warning, "SocketCluster warning: {Message}")]
    private static partial void Warned(ILogger logger, string? message, Exception? warning);

    [LoggerMessage(6, LogLevel.Error, "SocketCluster error: {Message}")]
    private static partial void Failed(ILogger logger, string? message, Exception? error);

    private static async Task RunAsync<TEvent>(IAsyncEnumerable<TEvent> events, Action<TEvent> log, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(false)) log(e);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
