using System.Text.Json;

namespace SocketCluster.Protocol;

/// <summary>One protocol packet, classified as both official peers do (EV-001, EV-004, EV-008, EV-009, RB-001).</summary>
public abstract record Packet;

/// <summary>
/// An event: a transmit when <see cref="Cid"/> is null, a request (RPC) when the frame carried a numeric cid.
/// <see cref="Data"/> is null when the frame had no "data" key; JSON null is a JsonElement of kind Null.
/// </summary>
public sealed record EventPacket(string Event, JsonElement? Data, long? Cid) : Packet
{
    /// <summary>True when the frame carried a numeric cid (an RPC awaiting a response).</summary>
    public bool IsRequest => Cid is not null;

    /// <summary>True when the frame carried a "cid" key that was not a number (such a frame is a transmit).</summary>
    public bool HadNonNumericCid { get; init; }
}

/// <summary>A response to a request: <see cref="Error"/> set means failure (an object or any other JSON value).</summary>
public sealed record ResponsePacket(long Rid, JsonElement? Data, JsonElement? Error) : Packet
{
    /// <summary>Hydration treats null and falsy errors as success, as the JS peers do.</summary>
    public bool IsError => ScData.IsTruthy(Error);

}

/// <summary>Anything else: non-JSON text, JSON that is not a packet, or a packet with wrongly typed fields.</summary>
public sealed record RawPacket(string Text, JsonElement? Json) : Packet;
