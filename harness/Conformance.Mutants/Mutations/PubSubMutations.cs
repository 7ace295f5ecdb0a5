using System.Text.Json.Nodes;
using SocketCluster.Protocol;

namespace Conformance.Mutants.Mutations;

/// <summary>
/// A broker that filters out the sender: a publication the client published itself is not delivered back to it
/// (the first matching delivery after each client #publish is dropped).
/// </summary>
internal sealed class OwnPublicationNotEchoed : PacketSession
{
    private readonly List<(string Channel, JsonNode? Data)> _published = [];

    protected override IReadOnlyList<JsonNode>? RewriteClientPacket(PacketView packet)
    {
        if (packet.IsEvent(EventNames.Publish) && Json.String(packet.DataObject?["channel"]) is { } channel)
            lock (_published) _published.Add((channel, packet.DataObject!["data"]?.DeepClone()));
        return null;
    }

    protected override IReadOnlyList<JsonNode>? RewriteServerPacket(PacketView packet)
    {
        if (!packet.IsEvent(EventNames.Publish) || Json.String(packet.DataObject?["channel"]) is not { } channel) return null;
        var data = packet.DataObject!["data"];
        lock (_published)
        {
            var index = _published.FindIndex(p => p.Channel == channel && Json.Same(p.Data, data));
            if (index < 0) return null;
            _published.RemoveAt(index);
            return Drop();
        }
    }
}

/// <summary>
/// Publications delivered out of order: each #publish is held back until the next one has been sent (or until
/// a short delay passes, so a lone publication still arrives).
/// </summary>
internal sealed class PublicationsReordered : PacketSession
{
    private static readonly TimeSpan HoldAtMost = TimeSpan.FromMilliseconds(400);
    private readonly object _gate = new();
    private WireFrame? _held;

    protected override ValueTask SendToClientAsync(IReadOnlyList<WireFrame> frames, PacketFrame original, IRelay relay)
    {
        if (original.IsBatch || !original.Packets[0].IsEvent(EventNames.Publish))
            return base.SendToClientAsync(frames, original, relay);
        lock (_gate)
        {
            if (_held is { } held)
            {
                foreach (var f in frames) relay.ToClient(f);
                relay.ToClient(held);
                _held = null;
                return ValueTask.CompletedTask;
            }
            _held = frames.Count == 1 ? frames[0] : null;
            if (_held is null) foreach (var f in frames) relay.ToClient(f);
            else _ = ReleaseLaterAsync(_held, relay);
        }
        return ValueTask.CompletedTask;
    }

    private async Task ReleaseLaterAsync(WireFrame frame, IRelay relay)
    {
        await Task.Delay(HoldAtMost).ConfigureAwait(false);
        lock (_gate)
        {
            if (!ReferenceEquals(_held, frame)) return;
            relay.ToClient(frame);
            _held = null;
        }
    }

    public override ValueTask OnServerCloseAsync(int code, string reason, IRelay relay)
    {
        lock (_gate)
        {
            if (_held is { } held) relay.ToClient(held);
            _held = null;
        }
        return base.OnServerCloseAsync(code, reason, relay);
    }
}

/// <summary>The server ignores #unsubscribe (it still answers a request form with success).</summary>
internal sealed class UnsubscribeIgnored : PacketSession
{
    protected override IReadOnlyList<JsonNode>? RewriteClientPacket(PacketView packet)
    {
        if (!packet.IsEvent(EventNames.Unsubscribe)) return null;
        if (packet.Event!.Cid is { } cid) Relay.ToClient(Frames.Response(cid, null));
        return Drop();
    }
}
