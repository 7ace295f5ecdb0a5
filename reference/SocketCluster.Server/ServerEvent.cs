using System.Text.Json;
using System.Text.Json.Nodes;

namespace SocketCluster.Server;

/// <summary>
/// One event from <see cref="SocketClusterServer.Listener"/> or <see cref="ServerSocket.Listener"/>; the fields
/// set are those the official server puts in that event's object (e.g. 'connection' → Socket, Id, PingTimeout,
/// IsAuthenticated, AuthError; 'disconnect' → Code, Reason; 'error' → Error; 'warning' → Warning).
/// </summary>
public sealed record ServerEvent(string Name)
{
    private readonly ServerSocket? _socket;

    /// <summary>The socket the event is about; throws for events that have none ('error', 'warning', 'ready').</summary>
    public ServerSocket Socket
    {
        get => _socket ?? throw new InvalidOperationException($"The '{Name}' event has no socket.");
        init => _socket = value;
    }

    public bool HasSocket => _socket is not null;

    public Exception? Error { get; init; }
    public Exception? Warning { get; init; }
    public int? Code { get; init; }
    public string? Reason { get; init; }
    public string? Channel { get; init; }
    public JsonObject? SubscriptionOptions { get; init; }
    public string? Id { get; init; }
    public TimeSpan? PingTimeout { get; init; }
    public bool? IsAuthenticated { get; init; }
    public Exception? AuthError { get; init; }
    public JsonElement? AuthToken { get; init; }
    public JsonElement? OldAuthToken { get; init; }
    public string? SignedAuthToken { get; init; }
    public string? OldAuthState { get; init; }
    public string? NewAuthState { get; init; }
    /// <summary>For 'raw' and 'message': the inbound text.</summary>
    public string? Message { get; init; }
}
