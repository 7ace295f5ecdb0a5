using System.Text.Json.Nodes;
using SocketCluster.Protocol;

namespace Conformance.Mutants.Mutations;

/// <summary>Edits of the handshake response (HS-002, HS-003).</summary>
internal sealed class HandshakeResponseEdit(Func<JsonObject, bool> edit) : PacketSession
{
    protected override IReadOnlyList<JsonNode>? RewriteServerPacket(PacketView packet) =>
        packet.IsHandshakeResponse && packet.Object is { } obj && edit(obj) ? With(obj) : null;

    public static Mutation Make(string id, string description, IReadOnlyList<string> breaks, Func<JsonObject, bool> edit) =>
        new(id, description, MutationKind.Violation, breaks, () => new HandshakeResponseEdit(edit));
}

/// <summary>After a handshake that authenticated with a valid token, the server also sends #setAuthToken.</summary>
internal sealed class SetAuthTokenAfterValidHandshakeToken : PacketSession
{
    private string? _token;

    protected override IReadOnlyList<JsonNode>? RewriteClientPacket(PacketView packet)
    {
        if (packet.IsEvent(EventNames.Handshake) && Json.String(packet.DataObject?["authToken"]) is { } token)
            Volatile.Write(ref _token, token);
        return null;
    }

    protected override IReadOnlyList<JsonNode>? RewriteServerPacket(PacketView packet)
    {
        if (!packet.IsHandshakeResponse || !Json.True(packet.DataObject?["isAuthenticated"])) return null;
        if (Volatile.Read(ref _token) is not { } token) return null;
        var setToken = new JsonObject { ["event"] = EventNames.SetAuthToken, ["data"] = new JsonObject { ["token"] = token } };
        return With(packet.Node!, setToken);
    }
}

/// <summary>
/// The server accepts traffic before the handshake: when the client's first frame is not a #handshake, the
/// proxy quietly completes a handshake upstream first (and swallows its response), so the server processes the
/// frame instead of closing with 4009.
/// </summary>
internal sealed class PreHandshakeAccepted : PacketSession
{
    private const long FakeCid = 1_900_000_001;
    private int _firstSeen;

    public override async ValueTask OnClientFrameAsync(WireFrame frame, IRelay relay)
    {
        if (Interlocked.Exchange(ref _firstSeen, 1) == 0)
        {
            var decoded = PacketFrame.Decode(frame);
            if (!decoded.Packets.Any(p => p.IsEvent(EventNames.Handshake)))
                relay.ToServer(Frames.Event(EventNames.Handshake, Frames.Element(w => w.WriteNull("authToken")), FakeCid));
        }
        await base.OnClientFrameAsync(frame, relay).ConfigureAwait(false);
    }

    protected override IReadOnlyList<JsonNode>? RewriteServerPacket(PacketView packet) =>
        packet.Response?.Rid == FakeCid ? Drop() : null;
}

/// <summary>The server does not require the exact path: "/socketcluster" (no slash) is upgraded too.</summary>
internal sealed class LenientPath : MutationSession
{
    public override string? UpstreamPath(string clientPath) =>
        clientPath.TrimEnd('/') == "/socketcluster" ? "/socketcluster/" : clientPath;
}
