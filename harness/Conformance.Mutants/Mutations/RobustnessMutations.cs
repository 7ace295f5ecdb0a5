using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Conformance.Mutants.Mutations;

/// <summary>
/// A server outage shared by every connection of one mutation: once a hostile input "crashes" the server, every
/// open connection is dropped and new upgrades are refused for <see cref="Duration"/> (RB-010).
/// </summary>
internal sealed class ServerOutage
{
    /// <summary>Long enough to cover a scenario's closing check (a new client, neighbour N), short enough not to outlive it by much.</summary>
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<MutationSession, IRelay> _open = new();
    private long _downUntil;

    public bool IsDown => Environment.TickCount64 < Interlocked.Read(ref _downUntil);

    public void Opened(MutationSession session, IRelay relay)
    {
        if (IsDown) { relay.AbortClient(); relay.AbortServer(); return; }
        _open[session] = relay;
    }

    public void Closed(MutationSession session) => _open.TryRemove(session, out _);

    /// <summary>The server dies: every connection is dropped without a close frame (the clients see 1006).</summary>
    public void Crash()
    {
        Interlocked.Exchange(ref _downUntil, Environment.TickCount64 + (long)Duration.TotalMilliseconds);
        foreach (var (session, relay) in _open)
        {
            if (!_open.TryRemove(session, out _)) continue;
            relay.AbortClient();
            relay.AbortServer();
        }
    }
}

/// <summary>
/// A server that dies on one hostile input (RB-010 with RB-015, RB-023): the whole process goes down, so the
/// attacker, its neighbours and every new client lose the service.
/// </summary>
internal sealed class CrashOnHostileInput(ServerOutage outage, Func<WireFrame, bool> isHostile) : MutationSession
{
    public override string? UpstreamPath(string clientPath) => outage.IsDown ? null : clientPath;

    public override ValueTask OnOpenedAsync(IRelay relay)
    {
        outage.Opened(this, relay);
        return ValueTask.CompletedTask;
    }

    public override ValueTask OnClientFrameAsync(WireFrame frame, IRelay relay)
    {
        if (!isHostile(frame)) return base.OnClientFrameAsync(frame, relay);
        outage.Crash();
        relay.AbortClient();
        relay.AbortServer();
        return ValueTask.CompletedTask;
    }

    public override ValueTask OnServerCloseAsync(int code, string reason, IRelay relay)
    {
        outage.Closed(this);
        return base.OnServerCloseAsync(code, reason, relay);
    }

    public override ValueTask OnClientCloseAsync(int code, string reason, IRelay relay)
    {
        outage.Closed(this);
        return base.OnClientCloseAsync(code, reason, relay);
    }

    /// <summary>The mutation: one outage shared by all its connections.</summary>
    public static Mutation Make(string id, string description, IReadOnlyList<string> breaks, Func<WireFrame, bool> isHostile)
    {
        var outage = new ServerOutage();
        return new(id, description, MutationKind.Violation, breaks, () => new CrashOnHostileInput(outage, isHostile));
    }

    /// <summary>An event whose name is longer than <paramref name="length"/> characters (a naive server logs or echoes it).</summary>
    public static bool HasEventNameLongerThan(WireFrame frame, int length) =>
        frame.Text.Length > length && PacketFrame.Decode(frame).Packets.Any(p => p.Event?.Event.Length > length);

    /// <summary>JSON structure nested deeper than <paramref name="depth"/> (outside strings): what overflows a recursive parser.</summary>
    public static bool IsNestedDeeperThan(WireFrame frame, int depth)
    {
        var text = frame.Text;
        if (text.Length <= depth) return false;
        int level = 0;
        bool inString = false, escaped = false;
        foreach (var c in text)
        {
            if (inString)
            {
                if (escaped) escaped = false;
                else if (c == '\\') escaped = true;
                else if (c == '"') inString = false;
                continue;
            }
            switch (c)
            {
                case '"': inString = true; break;
                case '[' or '{': if (++level > depth) return true; break;
                case ']' or '}': level--; break;
            }
        }
        return false;
    }
}

/// <summary>The server ignores binary frames sent before the handshake instead of closing with 4009 (RB-018).</summary>
internal sealed class PreHandshakeBinaryIgnored : PacketSession
{
    public override ValueTask OnClientFrameAsync(WireFrame frame, IRelay relay) =>
        !frame.IsText && HandshakeCid is null ? ValueTask.CompletedTask : base.OnClientFrameAsync(frame, relay);
}

/// <summary>The server does not check the Origin header: the upgrade reaches it without one, so any Origin is accepted (RB-050).</summary>
internal sealed class OriginNotChecked : MutationSession
{
    public override string? UpstreamOrigin(string? origin) => null;
}

/// <summary>Reserved requests whose data has the wrong type, as a type-confused handler answers them.</summary>
internal static class MalformedReserved
{
    /// <summary>A #subscribe whose data is not {channel: string} is acknowledged with success instead of an error (RB-024).</summary>
    public static JsonNode? SubscribeAcknowledged(PacketView p) =>
        p.Event is { Event: SocketCluster.Protocol.EventNames.Subscribe, Cid: { } cid } && Json.String(p.DataObject?["channel"]) is null
            ? Json.Parse($$"""{"rid":{{cid}}}""")
            : null;
}
