namespace SocketCluster.Protocol;

/// <summary>Close codes and their standard reasons (sc-errors 3.0.0; CC-001..CC-008).</summary>
public static class CloseCodes
{
    public const int Normal = 1000;
    public const int GoingAway = 1001;
    public const int NoStatus = 1005;
    public const int Abnormal = 1006;
    public const int MessageTooBig = 1009;
    public const int ServerPingTimedOut = 4000;
    public const int ClientPongTimedOut = 4001;
    public const int FailedToSignAuthToken = 4002;
    public const int HandshakeFailed = 4003;
    public const int FailedToSaveAuthToken = 4004;
    public const int HandshakeTimedOut = 4005;
    public const int BrokerBindFailed = 4006;
    public const int ConnectTimedOut = 4007;
    public const int HandshakeRejected = 4008;
    public const int MessageBeforeHandshake = 4009;

    /// <summary>Codes at or above this are permanent: the official client never auto-reconnects.</summary>
    public const int PermanentFrom = 4500;

    private static readonly Dictionary<int, string> ProtocolErrorStatuses = new()
    {
        [1001] = "Socket was disconnected",
        [1002] = "A WebSocket protocol error was encountered",
        [1003] = "Server terminated socket because it received invalid data",
        [1005] = "Socket closed without status code",
        [1006] = "Socket hung up",
        [1007] = "Message format was incorrect",
        [1008] = "Encountered a policy violation",
        [1009] = "Message was too big to process",
        [1010] = "Client ended the connection because the server did not comply with extension requirements",
        [1011] = "Server encountered an unexpected fatal condition",
        [4000] = "Server ping timed out",
        [4001] = "Client pong timed out",
        [4002] = "Server failed to sign auth token",
        [4003] = "Failed to complete handshake",
        [4004] = "Client failed to save auth token",
        [4005] = "Did not receive #handshake from client before timeout",
        [4006] = "Failed to bind socket to message broker",
        [4007] = "Client connection establishment timed out",
        [4008] = "Server rejected handshake from client",
        [4009] = "Server received a message before the client handshake",
    };

    private static readonly Dictionary<int, string> IgnoreStatuses = new()
    {
        [1000] = "Socket closed normally",
        [1001] = "Socket was disconnected",
    };

    /// <summary>The standard reason for a code, used when a close arrives with an empty reason.</summary>
    public static string? StandardReason(int code) =>
        ProtocolErrorStatuses.TryGetValue(code, out var r) ? r : IgnoreStatuses.GetValueOrDefault(code);

    /// <summary>The text for 1000 and 1001, the codes for which no SocketProtocolError is emitted.</summary>
    public static string? IgnoreStatusReason(int code) => IgnoreStatuses.GetValueOrDefault(code);

    /// <summary>
    /// The socketProtocolErrorStatuses text only (no entry for 1000): how the official transport fills an empty
    /// close reason, so a bare 1000 keeps an empty reason.
    /// </summary>
    public static string? ErrorStatusReason(int code) => ProtocolErrorStatuses.GetValueOrDefault(code);

    public static bool IsIgnoreStatus(int code) => IgnoreStatuses.ContainsKey(code);

    /// <summary>An empty or missing wire reason is replaced by the standard text for the code.</summary>
    public static string LocalReason(int code, string? wireReason) =>
        string.IsNullOrEmpty(wireReason) ? StandardReason(code) ?? "" : wireReason;

    public static string SocketProtocolErrorMessage(int code, string? reason) =>
        ProtocolErrorStatuses.TryGetValue(code, out var text) ? text
        : reason is not null ? $"Socket connection closed with status code {code} and reason: {reason}"
        : $"Socket connection closed with status code {code}";

    /// <summary>1005 and 1006 are local-only: they must never be sent in a close frame.</summary>
    public static bool MaySendOnWire(int code) => code is not (NoStatus or Abnormal) && code is >= 1000 and <= 4999;
}
