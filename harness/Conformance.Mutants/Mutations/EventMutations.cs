using System.Text.Json.Nodes;
using SocketCluster.Protocol;

namespace Conformance.Mutants.Mutations;

/// <summary>Edits of server-to-client packets other than the handshake response, chosen by a predicate.</summary>
internal sealed class ServerPacketEdit(Func<PacketView, IReadOnlyList<JsonNode>?> edit) : PacketSession
{
    protected override IReadOnlyList<JsonNode>? RewriteServerPacket(PacketView packet) =>
        packet.IsHandshakeResponse ? null : edit(packet);

    public static Mutation Make(string id, string description, IReadOnlyList<string> breaks, Func<PacketView, IReadOnlyList<JsonNode>?> edit) =>
        new(id, description, MutationKind.Violation, breaks, () => new ServerPacketEdit(edit));

    /// <summary>An in-place edit of the packet's JSON object; the action returns whether it changed anything.</summary>
    public static Mutation InPlace(string id, string description, IReadOnlyList<string> breaks, Func<PacketView, JsonObject, bool> edit) =>
        Make(id, description, breaks, p => p.Object is { } o && edit(p, o) ? [o] : null);
}

/// <summary>Edits of client-to-server packets (how a broken server would interpret them).</summary>
internal sealed class ClientPacketEdit(Func<PacketView, IRelay, IReadOnlyList<JsonNode>?> edit) : PacketSession
{
    protected override IReadOnlyList<JsonNode>? RewriteClientPacket(PacketView packet) => edit(packet, Relay);

    public static Mutation Make(string id, string description, IReadOnlyList<string> breaks, Func<PacketView, IRelay, IReadOnlyList<JsonNode>?> edit) =>
        new(id, description, MutationKind.Violation, breaks, () => new ClientPacketEdit(edit));
}

/// <summary>
/// The server turns some client packets into requests of its own making: a packet with a string cid is answered
/// (the response echoes the string as rid, as a UUID-cid server would), and a cid-less packet gets a cid whose
/// answer is swallowed (the client expects none). Upstream, each promoted packet carries a fresh numeric cid.
/// </summary>
internal sealed class ClientRequestPromotion(Func<PacketView, bool> promote) : PacketSession
{
    private static long s_nextCid = 1_800_000_000;
    private readonly Dictionary<long, JsonNode?> _answerAs = [];

    protected override IReadOnlyList<JsonNode>? RewriteClientPacket(PacketView packet)
    {
        if (packet.Object is not { } obj || !promote(packet)) return null;
        var cid = Interlocked.Increment(ref s_nextCid);
        lock (_answerAs) _answerAs[cid] = obj["cid"]?.DeepClone(); // null: swallow the answer
        obj["cid"] = cid;
        return [obj];
    }

    protected override IReadOnlyList<JsonNode>? RewriteServerPacket(PacketView packet)
    {
        if (packet.Response is not { } r || packet.Object is not { } obj) return null;
        JsonNode? original;
        lock (_answerAs)
        {
            if (!_answerAs.Remove(r.Rid, out original)) return null;
        }
        if (original is null) return Drop();
        obj["rid"] = original;
        return [obj];
    }
}

/// <summary>
/// The server treats a non-JSON message after the handshake as fatal (a naive parser that throws), closing
/// with 1011 instead of ignoring it as a raw message.
/// </summary>
internal sealed class RawMessageFatal : PacketSession
{
    protected override ValueTask OnClientRawAsync(WireFrame frame, IRelay relay)
    {
        if (HandshakeAnswered && frame.Text != PingPong.PongV2)
        {
            relay.CloseClient(1011, "");
            relay.CloseServer(1000, "");
            return ValueTask.CompletedTask;
        }
        return base.OnClientRawAsync(frame, relay);
    }
}

/// <summary>What a broken server does with an inbound batch (a JSON array of packets).</summary>
internal sealed class ClientBatchFault(bool reverse) : PacketSession
{
    public override ValueTask OnClientFrameAsync(WireFrame frame, IRelay relay)
    {
        var decoded = PacketFrame.Decode(frame);
        if (!decoded.IsBatch) return base.OnClientFrameAsync(frame, relay);
        if (reverse)
            relay.ToServer(decoded.Like(Packets.EncodeBatch(decoded.Packets.Reverse().Select(p => p.Node!))));
        return ValueTask.CompletedTask; // not reversing: the batch is ignored
    }
}
