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

    /// <summary>The data object of every <paramref name="eventName"/> event gets a key its fixed shape does not have.</summary>
    public static Mutation ExtraDataKey(string id, IReadOnlyList<string> breaks, string eventName, string key, JsonNode value) =>
        InPlace(id, $"{eventName} carries a key its data does not have (\"{key}\").", breaks, (p, _) =>
        {
            if (!p.IsEvent(eventName) || p.DataObject is not { } d) return false;
            d[key] = value.DeepClone();
            return true;
        });
}

/// <summary>Edits of client-to-server packets (how a broken server would interpret them).</summary>
internal sealed class ClientPacketEdit(Func<PacketView, IRelay, IReadOnlyList<JsonNode>?> edit) : PacketSession
{
    protected override IReadOnlyList<JsonNode>? RewriteClientPacket(PacketView packet) => edit(packet, Relay);

    public static Mutation Make(string id, string description, IReadOnlyList<string> breaks, Func<PacketView, IRelay, IReadOnlyList<JsonNode>?> edit) =>
        new(id, description, MutationKind.Violation, breaks, () => new ClientPacketEdit(edit));
}

/// <summary>How the broken server's answer to a promoted packet reaches the client.</summary>
internal enum PromotedAnswer
{
    /// <summary>Not at all (the client expects no answer; the harm is in what the server did).</summary>
    Swallow,

    /// <summary>With the client's own (non-numeric) cid echoed as rid, as a UUID-cid server would.</summary>
    EchoClientCid,

    /// <summary>As the server sent it, with the proxy-chosen numeric rid.</summary>
    AsSent,
}

/// <summary>
/// The server turns some client packets into requests of its own making: it answers a string cid, subscribes on a
/// cid-less #subscribe, answers transmits... Upstream, each promoted packet carries a fresh numeric cid.
/// </summary>
internal sealed class ClientRequestPromotion(Func<PacketView, bool> promote, PromotedAnswer answer) : PacketSession
{
    private static long s_nextCid = 1_800_000_000;
    private readonly Dictionary<long, JsonNode?> _promoted = [];

    protected override IReadOnlyList<JsonNode>? RewriteClientPacket(PacketView packet)
    {
        if (packet.Object is not { } obj || !promote(packet)) return null;
        var cid = Interlocked.Increment(ref s_nextCid);
        lock (_promoted) _promoted[cid] = obj["cid"]?.DeepClone();
        obj["cid"] = cid;
        return [obj];
    }

    protected override IReadOnlyList<JsonNode>? RewriteServerPacket(PacketView packet)
    {
        if (packet.Response is not { } r || packet.Object is not { } obj) return null;
        JsonNode? original;
        lock (_promoted)
        {
            if (!_promoted.Remove(r.Rid, out original)) return null;
        }
        switch (answer)
        {
            case PromotedAnswer.Swallow:
                return Drop();
            case PromotedAnswer.EchoClientCid when original is not null:
                obj["rid"] = original;
                return [obj];
            default:
                return null;
        }
    }
}

/// <summary>
/// Edits the server's responses to the client's requests of one kind (tracked by cid). The edit gets the response
/// object and the request's data, and returns whether it changed the response.
/// </summary>
internal sealed class RequestResponseEdit(Func<EventPacket, bool> isRequest, Func<JsonObject, JsonNode?, bool> edit) : PacketSession
{
    private readonly Dictionary<long, JsonNode?> _requests = [];

    protected override IReadOnlyList<JsonNode>? RewriteClientPacket(PacketView packet)
    {
        if (packet.Event is { Cid: { } cid } e && isRequest(e))
            lock (_requests) _requests[cid] = packet.Object!["data"]?.DeepClone();
        return null;
    }

    protected override IReadOnlyList<JsonNode>? RewriteServerPacket(PacketView packet)
    {
        if (packet.Response is not { } r || packet.Object is not { } obj || packet.IsHandshakeResponse) return null;
        JsonNode? data;
        lock (_requests)
        {
            if (!_requests.Remove(r.Rid, out data)) return null;
        }
        return edit(obj, data) ? [obj] : null;
    }

    public static Mutation Make(string id, string description, IReadOnlyList<string> breaks, string eventName, Func<JsonObject, JsonNode?, bool> edit) =>
        new(id, description, MutationKind.Violation, breaks, () => new RequestResponseEdit(e => e.Event == eventName, edit));
}

/// <summary>
/// The proxy answers some client packets itself instead of the server (and drops them), e.g. acknowledging
/// requests the server would refuse, or replying where the server must stay silent.
/// </summary>
internal sealed class ProxyAnswers(Func<PacketView, JsonNode?> answer) : PacketSession
{
    protected override IReadOnlyList<JsonNode>? RewriteClientPacket(PacketView packet)
    {
        if (answer(packet) is not { } reply) return null;
        Relay.ToClient(Packets.Encode(reply));
        return Drop();
    }
}

/// <summary>
/// The server closes the connection (the client sees the given code) when a client packet matches: the kind of
/// naive server that treats unexpected input as fatal.
/// </summary>
internal sealed class FatalClientPacket(Func<PacketView, bool> isFatal, int code) : PacketSession
{
    private readonly HashSet<long> _serverRequests = [];

    /// <summary>Cids of the server's own requests still waiting for the client's answer.</summary>
    public bool IsPendingServerRequest(long rid)
    {
        lock (_serverRequests) return _serverRequests.Contains(rid);
    }

    protected override IReadOnlyList<JsonNode>? RewriteServerPacket(PacketView packet)
    {
        if (packet.Event is { Cid: { } cid }) lock (_serverRequests) _serverRequests.Add(cid);
        return null;
    }

    protected override IReadOnlyList<JsonNode>? RewriteClientPacket(PacketView packet)
    {
        if (packet.Response is { } r) lock (_serverRequests) if (_serverRequests.Remove(r.Rid)) return null;
        if (!isFatal(packet)) return null;
        Relay.CloseClient(code, "");
        Relay.CloseServer(1000, "");
        return Drop();
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

/// <summary>The server ignores some client frames entirely (e.g. binary frames, or text with leading whitespace).</summary>
internal sealed class IgnoredClientFrames(Func<WireFrame, bool> ignore) : MutationSession
{
    public override ValueTask OnClientFrameAsync(WireFrame frame, IRelay relay) =>
        ignore(frame) ? ValueTask.CompletedTask : base.OnClientFrameAsync(frame, relay);
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
