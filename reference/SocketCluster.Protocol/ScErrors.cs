using System.Text.Json.Nodes;

namespace SocketCluster.Protocol;

/// <summary>Factories for the errors the official packages create, with their exact messages.</summary>
public static class ScErrors
{
    /// <summary>TimeoutError "Event response for &lt;event&gt; event timed out" (an unanswered call).</summary>
    public static ScTimeoutException Timeout(string eventName) =>
        new($"Event response for {eventName} event timed out");

    /// <summary>BadConnectionError with type 'disconnect' or 'connectAbort', and the close code and reason (sc-errors 3).</summary>
    public static ScBadConnectionException BadConnection(string message, string type, int code = 1001, string? reason = null) =>
        new(message, type, code, reason ?? CloseCodes.IgnoreStatusReason(code) ?? "");

    /// <summary>BadConnectionError "Event &lt;event&gt; was aborted due to a bad connection" (a call cut off by a close).</summary>
    public static ScBadConnectionException EventAborted(string eventName, string type, int code, string? reason) =>
        BadConnection($"Event {eventName} was aborted due to a bad connection", type, code, reason);

    /// <summary>An InvalidActionError with the message.</summary>
    public static ScError InvalidAction(string message) => new(ScErrorNames.InvalidActionError, message);

    /// <summary>An InvalidArgumentsError with the message.</summary>
    public static ScError InvalidArguments(string message) => new(ScErrorNames.InvalidArgumentsError, message);

    /// <summary>An InvalidOptionsError with the message.</summary>
    public static ScError InvalidOptions(string message) => new(ScErrorNames.InvalidOptionsError, message);

    /// <summary>An InvalidMessageError with the message.</summary>
    public static ScError InvalidMessage(string message) => new(ScErrorNames.InvalidMessageError, message);

    /// <summary>A BrokerError with the message.</summary>
    public static ScError Broker(string message) => new(ScErrorNames.BrokerError, message);

    /// <summary>"The &lt;action&gt; AGAction was blocked by &lt;middleware&gt; middleware", with type = the middleware type.</summary>
    public static ScError SilentMiddlewareBlocked(string actionType, string middlewareType) =>
        new(ScErrorNames.SilentMiddlewareBlockedError,
            $"The {actionType} AGAction was blocked by {middlewareType} middleware",
            new JsonObject { ["type"] = middlewareType });

    /// <summary>The error both peers emit for a close whose code is not 1000 or 1001.</summary>
    public static ScError SocketProtocol(int code, string? reason) =>
        new(ScErrorNames.SocketProtocolError, CloseCodes.SocketProtocolErrorMessage(code, reason),
            new JsonObject { ["code"] = code });
}
