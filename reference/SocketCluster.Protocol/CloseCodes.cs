namespace SocketCluster.Protocol;

/// <summary>Close codes and their standard reasons (sc-errors 3.0.0; CC-001..CC-008).</summary>
public static class CloseCodes
{
    /// <summary>1000: normal closure (the official default for disconnect()).</summary>
    public const int Normal = 1000;
    /// <summary>1001: the peer is going away.</summary>
    public const int GoingAway = 1001;
    /// <summary>1005: closed without a status code (local only, never sent).</summary>
    public const int NoStatus = 1005;
    /// <summary>1006: the connection dropped without a close frame (local only, never sent).</summary>
    public const int Abnormal = 1006;
    /// <summary>1009: a message exceeded the size limit.</summary>
    public const int MessageTooBig = 1009;
    /// <summary>4000: the server's ping did not arrive in time (client side).</summary>
    public const int ServerPingTimedOut = 4000;
    /// <summary>4001: the client's pong did not arrive in time (server side).</summary>
    public const int ClientPongTimedOut = 4001;
    /// <summary>4002: the server failed to sign an auth token.</summary>
    public const int FailedToSignAuthToken = 4002;
    /// <summary>4003: the handshake failed.</summary>
    public const int HandshakeFailed = 4003;
    /// <summary>4004: the client failed to save its auth token.</summary>
    public const int FailedToSaveAuthToken = 4004;
    /// <summary>4005: no #handshake arrived before the server's handshake timeout.</summary>
    public const int HandshakeTimedOut = 4005;
    /// <summary>4006: the socket could not be bound to the broker.</summary>
    public const int BrokerBindFailed = 4006;
    /// <summary>4007: the client's connect timeout elapsed before the handshake completed.</summary>
    public const int ConnectTimedOut = 4007;
    /// <summary>4008: the server's handshake middleware rejected the client.</summary>
    public const int HandshakeRejected = 4008;
    /// <summary>4009: the server received a message before the client's handshake.</summary>
    public const int MessageBeforeHandshake = 4009;

    /// <summary>
    /// Not an official code: the C# server closed a slow consumer whose outbound buffer exceeded its limit (OB-001).
    /// Below <see cref="PermanentFrom"/>, so the official client reconnects.
    /// </summary>
    public const int OutboundBufferLimitExceeded = 4100;

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

    /// <summary>True for 1000 and 1001, the codes for which no SocketProtocolError is emitted.</summary>
    public static bool IsIgnoreStatus(int code) => IgnoreStatuses.ContainsKey(code);

    /// <summary>An empty or missing wire reason is replaced by the standard text for the code.</summary>
    public static string LocalReason(int code, string? wireReason) =>
        string.IsNullOrEmpty(wireReason) ? StandardReason(code) ?? "" : wireReason;

    /// <summary>The message of the SocketProtocolError emitted for a close: the standard text for a known code, else one naming the code and reason.</summary>
    public static string SocketProtocolErrorMessage(int code, string? reason) =>
        ProtocolErrorStatuses.TryGetValue(code, out var text) ? text
        : reason is not null ? $"Socket connection closed with status code {code} and reason: {reason}"
        : $"Socket connection closed with status code {code}";

    /// <summary>1005 and 1006 are local-only: they must never be sent in a close frame.</summary>
    public static bool MaySendOnWire(int code) => code is not (NoStatus or Abnormal) && code is >= 1000 and <= 4999;
}
