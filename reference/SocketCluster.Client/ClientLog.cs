using Microsoft.Extensions.Logging;

namespace SocketCluster.Client;

/// <summary>
/// The client's log lines (category "SocketCluster.Client", from <see cref="ClientOptions.LoggerFactory"/>). The lines
/// about messages the server sends that nothing handles are rate-limited (the server decides how many there are):
/// each kind writes at most 10 lines per 10 s and reports how many it left out.
/// </summary>
internal static partial class ClientLog
{
    [LoggerMessage(1, LogLevel.Debug, "Connecting to {Uri}")]
    public static partial void Connecting(ILogger logger, Uri uri);

    [LoggerMessage(2, LogLevel.Information, "Connected to {Uri} as socket {SocketId} (authenticated: {IsAuthenticated})")]
    public static partial void Connected(ILogger logger, Uri uri, string? socketId, bool isAuthenticated);

    [LoggerMessage(3, LogLevel.Information, "Disconnected: {Code} {Reason}")]
    public static partial void Disconnected(ILogger logger, int code, string? reason);

    [LoggerMessage(4, LogLevel.Information, "Connection attempt aborted: {Code} {Reason}")]
    public static partial void ConnectAborted(ILogger logger, int code, string? reason);

    [LoggerMessage(5, LogLevel.Information, "Reconnecting in {Delay} (attempt {Attempt})")]
    public static partial void ReconnectScheduled(ILogger logger, TimeSpan delay, int attempt);

    [LoggerMessage(6, LogLevel.Warning, "The server rejected the auth token in the handshake: {ErrorName}: {ErrorMessage}")]
    public static partial void HandshakeAuthRejected(ILogger logger, string? errorName, string errorMessage);

    [LoggerMessage(7, LogLevel.Warning,
        "The server transmitted '{EventName}' but nothing consumes that receiver: the event was dropped ({Suppressed} similar lines suppressed)")]
    public static partial void TransmitDropped(ILogger logger, string eventName, long suppressed);

    [LoggerMessage(8, LogLevel.Warning,
        "The server invoked '{Procedure}' but nothing consumes that procedure: the server will time out ({Suppressed} similar lines suppressed)")]
    public static partial void InvokeUnserved(ILogger logger, string procedure, long suppressed);

    [LoggerMessage(9, LogLevel.Debug,
        "The server answered unknown cid {Rid} (late, after its ackTimeout, or never sent): ignored ({Suppressed} similar lines suppressed)")]
    public static partial void UnknownResponse(ILogger logger, long rid, long suppressed);

    [LoggerMessage(10, LogLevel.Error, "The handler of procedure '{Procedure}' threw; the request was answered with the error")]
    public static partial void ProcedureHandlerFailed(ILogger logger, string procedure, Exception error);

    [LoggerMessage(11, LogLevel.Error, "The handler of receiver '{Receiver}' threw; the event was not handled")]
    public static partial void ReceiverHandlerFailed(ILogger logger, string receiver, Exception error);

    [LoggerMessage(13, LogLevel.Warning,
        "Request {Cid} for '{Procedure}' from the server was not answered within the ackTimeout ({AckTimeout}): the server has likely timed out ({Suppressed} similar lines suppressed)")]
    public static partial void RequestUnanswered(ILogger logger, long cid, string procedure, TimeSpan ackTimeout, long suppressed);

    [LoggerMessage(12, LogLevel.Warning, "A transmit's data could not be serialised; the transmit was dropped")]
    public static partial void TransmitUnserializable(ILogger logger, Exception error);
}
