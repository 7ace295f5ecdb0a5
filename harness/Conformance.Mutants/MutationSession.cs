namespace Conformance.Mutants;

/// <summary>
/// The per-connection behaviour of a mutation. The proxy calls the frame hooks of one direction strictly in
/// arrival order (one pump per direction), so a hook that awaits delays every later frame of that direction.
/// The two directions run concurrently: state shared between them must be thread-safe.
/// The defaults forward everything unchanged: an unmodified session is a transparent proxy.
/// </summary>
public class MutationSession
{
    /// <summary>Called once, after both WebSockets are open and before any frame is relayed.</summary>
    public virtual ValueTask OnOpenedAsync(IRelay relay) => ValueTask.CompletedTask;

    public virtual ValueTask OnServerFrameAsync(WireFrame frame, IRelay relay) => ForwardToClient(frame, relay);

    public virtual ValueTask OnClientFrameAsync(WireFrame frame, IRelay relay) => ForwardToServer(frame, relay);

    /// <summary>The server closed (code 1005 = a close frame without code). Default: the client gets the same close.</summary>
    public virtual ValueTask OnServerCloseAsync(int code, string reason, IRelay relay)
    {
        relay.CloseClient(code, reason);
        return ValueTask.CompletedTask;
    }

    /// <summary>The client closed. Default: the server gets the same close.</summary>
    public virtual ValueTask OnClientCloseAsync(int code, string reason, IRelay relay)
    {
        relay.CloseServer(code, reason);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The upstream path for a client's upgrade request, or null to refuse it with HTTP 400 without asking the
    /// server. Default: the same path, so the server's own verdict (e.g. 400 for a wrong path) is relayed.
    /// </summary>
    public virtual string? UpstreamPath(string clientPath) => clientPath;

    /// <summary>
    /// The Origin header sent upstream for a client's upgrade request (null: none). Default: the client's own, so
    /// the server's origin check (RB-050) decides.
    /// </summary>
    public virtual string? UpstreamOrigin(string? clientOrigin) => clientOrigin;

    /// <summary>Passes a server frame on to the client unchanged (the default of every server-frame hook).</summary>
    protected static ValueTask ForwardToClient(WireFrame frame, IRelay relay)
    {
        relay.ToClient(frame);
        return ValueTask.CompletedTask;
    }

    /// <summary>Passes a client frame on to the server unchanged (the default of every client-frame hook).</summary>
    protected static ValueTask ForwardToServer(WireFrame frame, IRelay relay)
    {
        relay.ToServer(frame);
        return ValueTask.CompletedTask;
    }
}
