using System.Text;
using System.Text.Json.Nodes;
using SocketCluster.Protocol;

namespace Conformance.Mutants;

/// <summary>
/// A session that edits JSON packets. Each packet (each element of a batch) is offered to a rewrite hook that
/// returns null to keep it unchanged, an empty list to drop it, one node to replace it, or several to inject.
/// A batch stays one batch frame; a single packet rewritten into several goes out as several frames. Frames
/// that were not changed are forwarded byte for byte. Non-JSON text (pings, pongs, free text) goes to the
/// raw-frame hooks. The session also tracks the handshake, so rewrites can tell its response apart.
/// </summary>
public abstract class PacketSession : MutationSession
{
    private long _handshakeCid = -1;
    private int _handshakeAnswered;

    /// <summary>The cid of the client's first #handshake, or null before one was seen.</summary>
    protected long? HandshakeCid => Interlocked.Read(ref _handshakeCid) is var c && c >= 0 ? c : null;

    /// <summary>True once the server answered the client's handshake.</summary>
    protected bool HandshakeAnswered => Volatile.Read(ref _handshakeAnswered) == 1;

    /// <summary>The connection being relayed (set before any hook runs), for rewrites that also answer or inject.</summary>
    protected IRelay Relay { get; private set; } = null!;

    public override ValueTask OnOpenedAsync(IRelay relay)
    {
        Relay = relay;
        return ValueTask.CompletedTask;
    }

    protected virtual IReadOnlyList<JsonNode>? RewriteServerPacket(PacketView packet) => null;

    protected virtual IReadOnlyList<JsonNode>? RewriteClientPacket(PacketView packet) => null;

    /// <summary>A server frame that is not JSON (v2 ping "", v1 "#1", free text).</summary>
    protected virtual ValueTask OnServerRawAsync(WireFrame frame, IRelay relay) => ForwardToClient(frame, relay);

    /// <summary>A client frame that is not JSON (pongs, free text).</summary>
    protected virtual ValueTask OnClientRawAsync(WireFrame frame, IRelay relay) => ForwardToServer(frame, relay);

    /// <summary>Sends the rewritten frames to the client. Override to hold back, batch or delay them.</summary>
    protected virtual ValueTask SendToClientAsync(IReadOnlyList<WireFrame> frames, PacketFrame original, IRelay relay)
    {
        foreach (var f in frames) relay.ToClient(f);
        return ValueTask.CompletedTask;
    }

    public override async ValueTask OnServerFrameAsync(WireFrame frame, IRelay relay)
    {
        var decoded = PacketFrame.Decode(frame);
        if (!decoded.IsJson)
        {
            await OnServerRawAsync(frame, relay).ConfigureAwait(false);
            return;
        }
        foreach (var p in decoded.Packets)
        {
            if (p.Response is { } r && !HandshakeAnswered && r.Rid == HandshakeCid)
            {
                p.IsHandshakeResponse = true;
                Volatile.Write(ref _handshakeAnswered, 1);
            }
        }
        await SendToClientAsync(decoded.Apply(RewriteServerPacket), decoded, relay).ConfigureAwait(false);
    }

    public override async ValueTask OnClientFrameAsync(WireFrame frame, IRelay relay)
    {
        var decoded = PacketFrame.Decode(frame);
        if (!decoded.IsJson)
        {
            await OnClientRawAsync(frame, relay).ConfigureAwait(false);
            return;
        }
        foreach (var p in decoded.Packets)
            if (p.Event is { Event: EventNames.Handshake, Cid: { } cid })
                Interlocked.CompareExchange(ref _handshakeCid, cid, -1);
        foreach (var f in decoded.Apply(RewriteClientPacket)) relay.ToServer(f);
    }

    /// <summary>A convenience for rewrite hooks: drop the packet.</summary>
    protected static IReadOnlyList<JsonNode> Drop() => [];

    /// <summary>A convenience for rewrite hooks: replace the packet by these nodes.</summary>
    protected static IReadOnlyList<JsonNode> With(params JsonNode[] nodes) => nodes;
}

/// <summary>A decoded frame: its packets and whether it was a batch.</summary>
public sealed class PacketFrame
{
    private PacketFrame(WireFrame frame, IReadOnlyList<PacketView> packets, bool isBatch, bool isJson)
    {
        Frame = frame;
        Packets = packets;
        IsBatch = isBatch;
        IsJson = isJson;
    }

    public WireFrame Frame { get; }

    public IReadOnlyList<PacketView> Packets { get; }

    public bool IsBatch { get; }

    public bool IsJson { get; }

    public static PacketFrame Decode(WireFrame frame)
    {
        var (packets, isBatch) = Mutants.Packets.Decode(frame.Text);
        var isJson = isBatch || packets is [{ Node: not null }];
        return new PacketFrame(frame, packets, isBatch, isJson);
    }

    /// <summary>Applies a rewrite to every packet and returns the frames to send (the original when nothing changed).</summary>
    public IReadOnlyList<WireFrame> Apply(Func<PacketView, IReadOnlyList<JsonNode>?> rewrite)
    {
        var results = Packets.Select(p => (p, edit: rewrite(p))).ToList();
        if (results.All(r => r.edit is null)) return [Frame];

        IEnumerable<JsonNode> NodesOf((PacketView p, IReadOnlyList<JsonNode>? edit) r) =>
            r.edit ?? [r.p.Node!];

        if (IsBatch)
        {
            var nodes = results.SelectMany(NodesOf).ToList();
            return nodes.Count == 0 ? [] : [Like(Mutants.Packets.EncodeBatch(nodes))];
        }
        return NodesOf(results[0]).Select(n => Like(Mutants.Packets.Encode(n))).ToList();
    }

    /// <summary>A new frame of the same kind (text stays text, binary stays binary) holding the given text.</summary>
    public WireFrame Like(string text) =>
        Frame.IsText ? WireFrame.FromText(text) : WireFrame.FromBinary(Encoding.UTF8.GetBytes(text));
}
