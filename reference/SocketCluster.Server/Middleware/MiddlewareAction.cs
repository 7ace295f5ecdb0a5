using System.Text.Json;
using SocketCluster.Protocol;
using SocketCluster.Server.Auth;

namespace SocketCluster.Server.Middleware;

/// <summary>
/// One action passing through middleware (the official AGAction). The middleware must call <see cref="Allow()"/>
/// or <see cref="Block"/> exactly once; until then the socket's processing waits (per socket, in order).
/// </summary>
public sealed class MiddlewareAction
{
    // Synchronous continuation: the socket's processing goes on in the middleware's Allow() call (until its next
    // await) rather than after a thread-pool hop.
    private readonly TaskCompletionSource<AllowResult> _outcome = new();
    private int _decided;

    internal MiddlewareAction(string type) => Type = type;

    /// <summary>One of <see cref="ActionTypes"/>.</summary>
    public string Type { get; }

    /// <summary>The socket (absent for HANDSHAKE_WS, which runs before the socket exists).</summary>
    public ServerSocket? Socket { get; internal init; }

    /// <summary>The HTTP upgrade request (HANDSHAKE_WS, HANDSHAKE_SC).</summary>
    public UpgradeRequest? Request { get; internal init; }

    /// <summary>
    /// The action's data: the transmit/invoke/publish data (null = absent), the #subscribe's inner data, or for
    /// MESSAGE the raw message as a JSON string.
    /// </summary>
    public JsonElement? Data { get; internal init; }

    /// <summary>HANDSHAKE_SC: the result of verifying the handshake's token.</summary>
    public AuthInfo? AuthInfo { get; internal init; }

    /// <summary>SUBSCRIBE, PUBLISH_IN, PUBLISH_OUT: the channel name.</summary>
    public string? Channel { get; internal init; }
    /// <summary>TRANSMIT: the event name.</summary>
    public string? Receiver { get; internal init; }
    /// <summary>INVOKE: the procedure name.</summary>
    public string? Procedure { get; internal init; }

    /// <summary>For MESSAGE: whether the frame was binary.</summary>
    public bool IsBinary { get; internal init; }

    /// <summary>AUTHENTICATE: the signed token and its payload.</summary>
    public string? SignedAuthToken { get; internal init; }
    /// <summary>AUTHENTICATE: the verified token payload.</summary>
    public JsonElement? AuthToken { get; internal init; }

    /// <summary>Set on inbound actions when the socket's token had expired (the socket was deauthenticated).</summary>
    public ScError? AuthTokenExpiredError { get; internal init; }

    /// <summary>"allowed" or "blocked" once decided, else null.</summary>
    public string? Outcome => Volatile.Read(ref _decided) switch { 1 => "allowed", 2 => "blocked", _ => null };

    /// <summary>Lets the action through unchanged.</summary>
    public void Allow() => Decide(1, new AllowResult(false, null, null));

    /// <summary>Lets the action through with replaced data (for MESSAGE, a string replaces the raw message).</summary>
    public void Allow(object? data) => Decide(1, new AllowResult(true, ScCodec.ToData(data), null));

    /// <summary>Lets a PUBLISH_OUT through, choosing whether the shared pre-encoded frame may be used.</summary>
    public void Allow(object? data, bool useCache) => Decide(1, new AllowResult(true, ScCodec.ToData(data), useCache));

    /// <summary>
    /// Blocks the action. With an error, that error reaches the client as is (name, message, extra properties);
    /// without one, or when the error is an <see cref="ScError"/> whose "silent" property is true, the client gets
    /// SilentMiddlewareBlockedError "The &lt;action&gt; AGAction was blocked by &lt;type&gt; middleware".
    /// </summary>
    public void Block(Exception? error = null) => Decide(2, null, error);

    private void Decide(int outcome, AllowResult? result, Exception? error = null)
    {
        var previous = Interlocked.CompareExchange(ref _decided, outcome, 0);
        if (previous != 0)
        {
            var done = previous == 1 ? "allowed" : "blocked";
            var attempted = outcome == 1 ? "allow" : "block";
            throw ScErrors.InvalidAction($"AGAction {Type} has already been {done}; cannot {attempted}");
        }
        if (result is not null) _outcome.TrySetResult(result);
        else _outcome.TrySetException(new BlockedException(error));
    }

    internal Task<AllowResult> Completion => _outcome.Task;

    /// <summary>Ends an undecided action when its socket has closed, so nothing waits forever.</summary>
    internal void Abandon() => _outcome.TrySetException(new BlockedException(null, abandoned: true));

    internal sealed record AllowResult(bool HasData, JsonElement? Data, bool? UseCache);

    internal sealed class BlockedException(Exception? error, bool abandoned = false) : Exception("The action was blocked.")
    {
        public Exception? Error { get; } = error;
        public bool Abandoned { get; } = abandoned;
    }
}
