using System.Text.Json;

namespace SocketCluster.Protocol;

/// <summary>Turns one inbound message into packets: a JSON array is a batch, processed element by element in order.</summary>
public static class PacketReader
{
    /// <summary>Decodes a text message and reads its packets.</summary>
    public static IReadOnlyList<Packet> Read(string message) => Read(ScCodec.Decode(message));

    /// <summary>Reads the packets of a decoded message: non-JSON text is one raw packet, an array a batch.</summary>
    public static IReadOnlyList<Packet> Read(DecodedMessage decoded)
    {
        if (decoded.Json is not { } json) return [new RawPacket(decoded.Text, null)];
        if (json.ValueKind != JsonValueKind.Array) return [Classify(json, decoded.Text)];
        var packets = new List<Packet>(json.GetArrayLength());
        foreach (var element in json.EnumerateArray()) packets.Add(Classify(element, element.GetRawText()));
        return packets;
    }

    /// <summary>Classifies one decoded value: event (string "event"), else response (numeric "rid"), else raw.</summary>
    public static Packet Classify(JsonElement value, string text)
    {
        try
        {
            return ClassifyObject(value, text);
        }
        catch (InvalidOperationException)
        {
            // A property name or event name that is not valid UTF-16 (a lone surrogate escape): .NET cannot unescape it.
            // No procedure or receiver can have such a name, so the message is treated as raw (ignored), which is what
            // a JavaScript server's outcome amounts to (RB-019, found by the fuzzer).
            return new RawPacket(text, value);
        }
    }

    private static Packet ClassifyObject(JsonElement value, string text)
    {
        if (value.ValueKind != JsonValueKind.Object) return new RawPacket(text, value);
        JsonElement? data = value.TryGetProperty("data", out var d) ? d : null;

        if (value.TryGetProperty("event", out var ev) && ev.ValueKind == JsonValueKind.String)
        {
            var hasCid = value.TryGetProperty("cid", out var cid);
            long? cidValue = hasCid && cid.ValueKind == JsonValueKind.Number && cid.TryGetInt64(out var c) ? c : null;
            return new EventPacket(ev.GetString()!, data, cidValue)
            {
                HadNonNumericCid = hasCid && cidValue is null,
            };
        }

        if (value.TryGetProperty("rid", out var rid) && rid.ValueKind == JsonValueKind.Number && rid.TryGetInt64(out var r))
        {
            JsonElement? error = value.TryGetProperty("error", out var e) ? e : null;
            return new ResponsePacket(r, data, error);
        }

        return new RawPacket(text, value);
    }
}
