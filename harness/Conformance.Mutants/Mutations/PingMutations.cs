using System.Text.Json.Nodes;
using SocketCluster.Protocol;

namespace Conformance.Mutants.Mutations;

/// <summary>What a broken server does with pings and pongs (PP-001..PP-011).</summary>
internal enum PingFault
{
    /// <summary>A v2 server that pings with the v1 text "#1".</summary>
    V1PingOnV2,

    /// <summary>The server never pings the client (the proxy answers the real server's pings itself).</summary>
    NeverPings,

    /// <summary>The server pings but never enforces the pong timeout (the proxy answers for the client).</summary>
    NoPongTimeout,

    /// <summary>The server does not see the client's pongs (they are dropped), so it closes a live client with 4001.</summary>
    IgnoresPongs,
}

internal sealed class PingSession(PingFault fault) : PacketSession
{
    protected override ValueTask OnServerRawAsync(WireFrame frame, IRelay relay)
    {
        if (!IsPing(frame)) return base.OnServerRawAsync(frame, relay);
        switch (fault)
        {
            case PingFault.V1PingOnV2:
                relay.ToClient(PingPong.PingV1);
                break;
            case PingFault.NeverPings:
                // Before the handshake a pong would be fatal upstream (4009); the real server waits anyway.
                if (HandshakeAnswered) relay.ToServer(PingPong.PongV2);
                break;
            case PingFault.IgnoresPongs:
                relay.ToClient(frame);
                break;
            case PingFault.NoPongTimeout:
                if (HandshakeAnswered) relay.ToServer(PingPong.PongV2);
                relay.ToClient(frame);
                break;
        }
        return ValueTask.CompletedTask;
    }

    protected override ValueTask OnClientRawAsync(WireFrame frame, IRelay relay)
    {
        // The proxy already answers the server; the client's own pongs (if any) are swallowed after the handshake.
        if (fault is PingFault.NeverPings or PingFault.NoPongTimeout or PingFault.IgnoresPongs && IsPong(frame) && HandshakeAnswered)
            return ValueTask.CompletedTask;
        return base.OnClientRawAsync(frame, relay);
    }

    private static bool IsPing(WireFrame frame) => frame.IsText && frame.Text == PingPong.PingV2;

    private static bool IsPong(WireFrame frame) => frame.IsText && frame.Text == PingPong.PongV2;
}

/// <summary>
/// PP-005: the pingTimeout the handshake response advertises differs from the one the server enforces. The proxy
/// rewrites the advertised value; the real server's watchdog keeps its own.
/// </summary>
internal static class AdvertisedPingTimeout
{
    public static Mutation Scaled(string id, string description, double factor) =>
        HandshakeResponseEdit.Make(id, description, ["PP-005"], o =>
        {
            if (o["data"] is not JsonObject data || Json.Long(data["pingTimeout"]) is not { } enforced) return false;
            data["pingTimeout"] = (long)Math.Round(enforced * factor);
            return true;
        });
}
