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
/// After a verdict that is not a bad token (AuthTokenNotBeforeError: isBadToken false), the server still sends
/// #removeAuthToken.
/// </summary>
internal sealed class RemoveAuthTokenAfterNotBefore : PacketSession
{
    protected override IReadOnlyList<JsonNode>? RewriteServerPacket(PacketView packet)
    {
        if (packet.Response is null || packet.DataObject?["authError"] is not JsonObject authError) return null;
        if (Json.String(authError["name"]) != ScErrorNames.AuthTokenNotBeforeError) return null;
        return With(packet.Node!, new JsonObject { ["event"] = EventNames.RemoveAuthToken });
    }
}
