using System.Text.Json.Nodes;
using SocketCluster.Protocol;

namespace Conformance.Mutants.Mutations;

/// <summary>After a bad-token verdict (isBadToken), the server does not send #removeAuthToken.</summary>
internal sealed class NoRemoveAuthTokenAfterBadToken : PacketSession
{
    private int _expectRemove;

    protected override IReadOnlyList<JsonNode>? RewriteServerPacket(PacketView packet)
    {
        if (packet.Response is { } r)
        {
            var authError = packet.IsHandshakeResponse ? packet.DataObject?["authError"] as JsonObject : null;
            var error = r.IsError ? packet.Object?["error"] as JsonObject : null;
            if (Json.True(authError?["isBadToken"]) || Json.True(error?["isBadToken"]))
                Volatile.Write(ref _expectRemove, 1);
            return null;
        }
        if (packet.IsEvent(EventNames.RemoveAuthToken) && Interlocked.Exchange(ref _expectRemove, 0) == 1)
            return Drop();
        return null;
    }
}

/// <summary>
/// The server answers #authenticate in a wrong shape. The edit receives the response object of an #authenticate
/// request (tracked by cid) and returns whether it changed it.
/// </summary>
internal sealed class AuthenticateResponseEdit(Func<JsonObject, bool> edit) : PacketSession
{
    private readonly HashSet<long> _cids = [];

    protected override IReadOnlyList<JsonNode>? RewriteClientPacket(PacketView packet)
    {
        if (packet.Event is { Event: EventNames.Authenticate, Cid: { } cid }) lock (_cids) _cids.Add(cid);
        return null;
    }

    protected override IReadOnlyList<JsonNode>? RewriteServerPacket(PacketView packet)
    {
        if (packet.Response is not { } r || packet.Object is not { } obj) return null;
        lock (_cids) if (!_cids.Remove(r.Rid)) return null;
        return edit(obj) ? [obj] : null;
    }
}
