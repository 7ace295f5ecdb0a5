using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using SocketCluster.Protocol;

namespace Conformance.Mutants;

/// <summary>
/// One decoded packet of a frame: its classification by the shared protocol library and a mutable JSON copy
/// (the copy is what a rewrite edits and what is re-encoded).
/// </summary>
public sealed class PacketView
{
    internal PacketView(Packet packet, JsonNode? node, string text)
    {
        Packet = packet;
        Node = node;
        Text = text;
    }

    public Packet Packet { get; }

    /// <summary>The mutable JSON value, or null for a non-JSON raw message (a ping, a pong, free text).</summary>
    public JsonNode? Node { get; }

    /// <summary>The packet's original text (for a batch element, its raw JSON).</summary>
    public string Text { get; }

    /// <summary>The packet as a JSON object, or null when it is not one.</summary>
    public JsonObject? Object => Node as JsonObject;

    public EventPacket? Event => Packet as EventPacket;

    public ResponsePacket? Response => Packet as ResponsePacket;

    public bool IsEvent(string name) => Packet is EventPacket e && e.Event == name;

    /// <summary>The inner "data" object of an event or response, when it is an object.</summary>
    public JsonObject? DataObject => Object?["data"] as JsonObject;

    /// <summary>Set by <see cref="PacketSession"/> on the server's response to the client's #handshake.</summary>
    public bool IsHandshakeResponse { get; internal set; }
}

/// <summary>Decoding frames into packet views and encoding JSON back into frame text.</summary>
public static class Packets
{
    /// <summary>Compact JSON that keeps non-ASCII and HTML-sensitive characters as they are (like JSON.stringify).</summary>
    public static readonly JsonSerializerOptions Compact = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Decodes a text frame with the shared codec. Returns the packets and whether the frame was a JSON array
    /// (a batch); a non-JSON frame is one raw packet without a JSON node.
    /// </summary>
    public static (IReadOnlyList<PacketView> Packets, bool IsBatch) Decode(string text)
    {
        var decoded = ScCodec.Decode(text);
        if (decoded.Json is not { } json)
            return ([new PacketView(new RawPacket(text, null), null, text)], false);
        if (json.ValueKind != JsonValueKind.Array)
            return ([View(json, text)], false);
        var views = new List<PacketView>();
        foreach (var element in json.EnumerateArray()) views.Add(View(element, element.GetRawText()));
        return (views, true);
    }

    private static PacketView View(JsonElement element, string text) =>
        new(PacketReader.Classify(element, text), JsonNode.Parse(element.GetRawText()), text);

    public static string Encode(JsonNode node) => node.ToJsonString(Compact);

    /// <summary>Encodes several packets as one batch frame (a JSON array), with the shared Frames helper.</summary>
    public static string EncodeBatch(IEnumerable<JsonNode> nodes) => Frames.Batch(nodes.Select(Encode));

    /// <summary>A deep copy of a node (JsonNode instances can have only one parent).</summary>
    public static JsonNode Clone(JsonNode node) => node.DeepClone();
}
