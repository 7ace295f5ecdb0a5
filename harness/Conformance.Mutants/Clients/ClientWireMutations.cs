using System.Text;
using System.Text.Json.Nodes;
using SocketCluster.Protocol;

namespace Conformance.Mutants.Clients;

/// <summary>What a broken client puts on the wire (client→server frames rewritten by the proxy).</summary>
internal enum ClientWireFault
{
    /// <summary>PP-006: the client never answers pings (its pongs are dropped).</summary>
    DropPongs,

    /// <summary>PP-006, V1-002: a v2 client answers pings with the v1 pong "#2" instead of "".</summary>
    V1PongOnV2,

    /// <summary>V1-002: a v1 client answers pings with the v2 pong "" instead of "#2".</summary>
    V2PongOnV1,

    /// <summary>EV-001: every transmit carries a cid (as if it were a request).</summary>
    CidOnTransmits,

    /// <summary>HS-001, EV-004: the handshake's cid is a string.</summary>
    HandshakeCidAsString,

    /// <summary>EV-004: the cid of every request after the handshake is a string.</summary>
    RequestCidsAsStrings,

    /// <summary>CC-005: the client's close frame loses the code and reason it was asked for (1000, no reason).</summary>
    CloseAlways1000,

    /// <summary>BA-003: the handshake goes out inside an array (a batch of one).</summary>
    BatchedHandshake,

    /// <summary>TR-004: every protocol message goes out as a binary frame.</summary>
    BinaryFrames,

    /// <summary>AU-015: the stored token is not presented: the handshake always says authToken null.</summary>
    HandshakeWithoutToken,

    /// <summary>PS-022: #subscribe carries the channel's priority (the official client never sends it).</summary>
    SubscribeWithPriority,

    /// <summary>AU-019: deauthenticate() does not tell the server (no #removeAuthToken transmit).</summary>
    DropRemoveAuthToken,

    /// <summary>PS-019: #unsubscribe goes out as a request (with a cid) instead of a transmit.</summary>
    UnsubscribeAsRequest,

    /// <summary>PS-008, PS-020: invokePublish's #publish goes out without its cid (so it is never acknowledged).</summary>
    PublishRequestWithoutCid,

    /// <summary>EV-005, EV-016: responses to the server's requests lack the rid.</summary>
    ResponsesWithoutRid,

    /// <summary>AU-014, EV-005: the answer to a #setAuthToken request lacks the rid.</summary>
    SetAuthTokenAnswerWithoutRid,

    /// <summary>HS-001: a transmit goes out before the #handshake.</summary>
    SendsBeforeHandshake,

    /// <summary>PP-012: a v2 client answers the v1 ping "#1" with its pong "" (as if "#1" were its own ping).</summary>
    AnswersForeignPing,
}

/// <summary>
/// A client-side wire mutation: the proxy sits between a client (the suite's client driver) and its known-good server
/// and rewrites what the CLIENT sends, mirroring the server mutations (which rewrite what the server sends). The
/// server→client direction passes unchanged, except that requests the server makes are remembered (for the
/// #setAuthToken fault).
/// </summary>
internal sealed class ClientWireSession(ClientWireFault fault) : PacketSession
{
    private const long InjectedCidBase = 1_000_000; // far above any cid the client uses in a scenario
    private long _injectedCids = InjectedCidBase;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, string> _serverRequests = new();
    private int _handshakeSeen;

    protected override IReadOnlyList<JsonNode>? RewriteServerPacket(PacketView packet)
    {
        if (packet.Event is { Cid: { } cid } request) _serverRequests[cid] = request.Event;
        return null;
    }

    public override ValueTask OnClientCloseAsync(int code, string reason, IRelay relay)
    {
        if (fault != ClientWireFault.CloseAlways1000) return base.OnClientCloseAsync(code, reason, relay);
        relay.CloseServer(CloseCodes.Normal, "");
        return ValueTask.CompletedTask;
    }

    protected override ValueTask OnServerRawAsync(WireFrame frame, IRelay relay)
    {
        if (fault == ClientWireFault.AnswersForeignPing && frame.IsText && frame.Text == PingPong.PingV1) relay.ToServer(PingPong.PongV2);
        return base.OnServerRawAsync(frame, relay);
    }

    protected override ValueTask OnClientRawAsync(WireFrame frame, IRelay relay)
    {
        if (frame.IsText && frame.Text == PingPong.PongV2)
        {
            switch (fault)
            {
                case ClientWireFault.DropPongs: return ValueTask.CompletedTask;
                case ClientWireFault.V1PongOnV2: relay.ToServer(PingPong.PongV1); return ValueTask.CompletedTask;
            }
        }
        if (frame.IsText && frame.Text == PingPong.PongV1)
        {
            switch (fault)
            {
                case ClientWireFault.DropPongs: return ValueTask.CompletedTask;
                case ClientWireFault.V2PongOnV1: relay.ToServer(PingPong.PongV2); return ValueTask.CompletedTask;
            }
        }
        return base.OnClientRawAsync(frame, relay);
    }

    public override async ValueTask OnClientFrameAsync(WireFrame frame, IRelay relay)
    {
        switch (fault)
        {
            case ClientWireFault.BinaryFrames when frame.IsText:
                relay.ToServer(WireFrame.FromBinary(Encoding.UTF8.GetBytes(frame.Text)));
                return;
            case ClientWireFault.BatchedHandshake when !frame.Text.TrimStart().StartsWith('[')
                && PacketFrame.Decode(frame) is { IsJson: true, Packets: [{ Event.Event: EventNames.Handshake }] }:
                relay.ToServer(WireFrame.FromText("[" + frame.Text + "]"));
                return;
            case ClientWireFault.SendsBeforeHandshake when Interlocked.Exchange(ref _handshakeSeen, 1) == 0
                && PacketFrame.Decode(frame) is { IsJson: true } d && d.Packets.Any(p => p.IsEvent(EventNames.Handshake)):
                relay.ToServer("""{"event":"conformanceEarly","data":"sent before the handshake"}""");
                break;
        }
        await base.OnClientFrameAsync(frame, relay).ConfigureAwait(false);
    }

    protected override IReadOnlyList<JsonNode>? RewriteClientPacket(PacketView packet)
    {
        if (packet.Object is not { } original) return null;
        var o = (JsonObject)original.DeepClone();
        var isHandshake = packet.IsEvent(EventNames.Handshake);
        switch (fault)
        {
            case ClientWireFault.CidOnTransmits when packet.Event is { Cid: null }:
                o["cid"] = Interlocked.Increment(ref _injectedCids);
                return With(o);
            case ClientWireFault.HandshakeCidAsString when isHandshake && packet.Event!.Cid is { } cid:
                o["cid"] = cid.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return With(o);
            case ClientWireFault.RequestCidsAsStrings when !isHandshake && packet.Event is { Cid: { } requestCid }:
                o["cid"] = requestCid.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return With(o);
            case ClientWireFault.HandshakeWithoutToken when isHandshake && o["data"] is JsonObject data && data["authToken"] is not null:
                data["authToken"] = null;
                return With(o);
            case ClientWireFault.SubscribeWithPriority when packet.IsEvent(EventNames.Subscribe) && o["data"] is JsonObject data:
                data["priority"] = 1;
                return With(o);
            case ClientWireFault.DropRemoveAuthToken when packet.IsEvent(EventNames.RemoveAuthToken):
                return Drop();
            case ClientWireFault.UnsubscribeAsRequest when packet.IsEvent(EventNames.Unsubscribe) && packet.Event!.Cid is null:
                o["cid"] = Interlocked.Increment(ref _injectedCids);
                return With(o);
            case ClientWireFault.PublishRequestWithoutCid when packet.IsEvent(EventNames.Publish) && packet.Event!.Cid is not null:
                o.Remove("cid");
                return With(o);
            case ClientWireFault.ResponsesWithoutRid when packet.Response is not null:
                o.Remove("rid");
                return With(o);
            case ClientWireFault.SetAuthTokenAnswerWithoutRid when packet.Response is { } r
                && _serverRequests.TryGetValue(r.Rid, out var name) && name == EventNames.SetAuthToken:
                o.Remove("rid");
                return With(o);
            default:
                return null;
        }
    }
}
