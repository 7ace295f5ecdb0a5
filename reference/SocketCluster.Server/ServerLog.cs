using Microsoft.Extensions.Logging;

namespace SocketCluster.Server;

/// <summary>
/// The log lines the server writes from its protocol path (category "SocketCluster.Server"), next to the event log
/// of <see cref="ServerEventLog"/>: messages nobody consumes, requests nobody answers in time, late responses and
/// handler exceptions. The lines about dropped or unanswered messages are rate-limited (a client can cause any
/// number of them): each kind writes at most 10 lines per 10 s and reports how many it left out.
/// </summary>
internal static partial class ServerLog
{
    [LoggerMessage(20, LogLevel.Warning,
        "Socket {SocketId} transmitted '{EventName}' but nothing consumes that receiver: the event was dropped ({Suppressed} similar lines suppressed)")]
    public static partial void TransmitDropped(ILogger logger, string socketId, string eventName, long suppressed);

    [LoggerMessage(21, LogLevel.Warning,
        "Socket {SocketId} invoked '{Procedure}' but nothing consumes that procedure: the client will time out ({Suppressed} similar lines suppressed)")]
    public static partial void InvokeUnserved(ILogger logger, string socketId, string procedure, long suppressed);

    [LoggerMessage(22, LogLevel.Warning,
        "Request {Cid} for '{Procedure}' from socket {SocketId} was not answered within the ackTimeout ({AckTimeout}): the client has timed out ({Suppressed} similar lines suppressed)")]
    public static partial void RequestUnanswered(ILogger logger, long cid, string procedure, string socketId, TimeSpan ackTimeout, long suppressed);

    [LoggerMessage(23, LogLevel.Debug, "Socket {SocketId} sent a response to unknown cid {Rid} (late, after its ackTimeout, or never sent): ignored")]
    public static partial void UnknownResponse(ILogger logger, string socketId, long rid);

    [LoggerMessage(24, LogLevel.Error, "The handler of procedure '{Procedure}' on socket {SocketId} threw; the request was answered with the error")]
    public static partial void ProcedureHandlerFailed(ILogger logger, string procedure, string socketId, Exception error);

    [LoggerMessage(25, LogLevel.Error, "The handler of receiver '{Receiver}' on socket {SocketId} threw; the event was not handled")]
    public static partial void ReceiverHandlerFailed(ILogger logger, string receiver, string socketId, Exception error);
}
