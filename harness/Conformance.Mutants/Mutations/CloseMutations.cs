using SocketCluster.Protocol;

namespace Conformance.Mutants.Mutations;

/// <summary>The server closes with a different code or reason than the protocol says (CC-001..CC-008).</summary>
internal sealed class CloseEdit(Func<int, string, (int Code, string Reason)?> edit) : PacketSession
{
    public override ValueTask OnServerCloseAsync(int code, string reason, IRelay relay)
    {
        if (edit(code, reason) is { } changed) relay.CloseClient(changed.Code, changed.Reason);
        else relay.CloseClient(code, reason);
        return ValueTask.CompletedTask;
    }

    public static Mutation Make(string id, string description, IReadOnlyList<string> breaks, Func<int, string, (int, string)?> edit) =>
        new(id, description, MutationKind.Violation, breaks, () => new CloseEdit(edit));

    /// <summary>Maps one code to another, keeping the reason.</summary>
    public static Mutation Code(string id, int from, int to, IReadOnlyList<string> breaks) =>
        Make(id, $"The server closes with {to} where the protocol says {from}.", breaks,
            (code, reason) => code == from ? (to, reason) : null);
}

/// <summary>The server drops the TCP connection instead of sending a close frame (the client sees 1006).</summary>
internal sealed class CloseFrameMissing : PacketSession
{
    public override ValueTask OnServerCloseAsync(int code, string reason, IRelay relay)
    {
        relay.AbortClient();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// The server never closes a socket that sends no #handshake: neither its handshake timeout (4005) nor its pong
/// timeout (4001, armed at socket creation) is passed on while the client has not sent a handshake.
/// </summary>
internal sealed class HandshakeTimeoutNotEnforced : PacketSession
{
    public override ValueTask OnServerCloseAsync(int code, string reason, IRelay relay) =>
        HandshakeCid is null && code is CloseCodes.HandshakeTimedOut or CloseCodes.ClientPongTimedOut
            ? ValueTask.CompletedTask
            : base.OnServerCloseAsync(code, reason, relay);
}
