using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Conformance.JsHosts;

/// <summary>Serialises driver requests (the Node line protocol) and argument arrays as JSON text.</summary>
internal static class DriverRequest
{
    public static string Serialize(long id, string command, IReadOnlyList<JsonElement> args)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", id);
            writer.WriteString("cmd", command);
            writer.WritePropertyName("args");
            WriteArgs(writer, args);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string SerializeArgs(IReadOnlyList<JsonElement> args)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) WriteArgs(writer, args);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    static void WriteArgs(Utf8JsonWriter writer, IReadOnlyList<JsonElement> args)
    {
        writer.WriteStartArray();
        foreach (var arg in args)
        {
            // default(JsonElement) stands for an absent value; JSON has no undefined, so it travels as null.
            if (arg.ValueKind == JsonValueKind.Undefined) writer.WriteNullValue();
            else arg.WriteTo(writer);
        }
        writer.WriteEndArray();
    }

    /// <summary>Parses a host's JSON reply text into a detached element.</summary>
    public static JsonElement ParseResult(string json, string hostName)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new JsDriverHostException($"{hostName} driver returned text that is not JSON: {Truncate(json)}", e);
        }
    }

    static string Truncate(string s) => s.Length <= 300 ? s : s[..300] + "…";
}
