using System.Buffers;
using System.Text;
using System.Text.Json;

namespace SocketCluster.Protocol;

/// <summary>Builds outbound protocol frames. Key order follows the official client (event, data, cid).</summary>
public static class Frames
{
    /// <summary>An event frame: a transmit when cid is null, a request otherwise. Null data means no "data" key.</summary>
    public static string Event(string eventName, JsonElement? data, long? cid = null) => Write(w =>
    {
        w.WriteString("event", eventName);
        if (data is { } d) { w.WritePropertyName("data"); WriteValue(w, d); }
        if (cid is { } c) w.WriteNumber("cid", c);
    });

    /// <summary>A successful response; null data means no "data" key ({"rid":3}).</summary>
    public static string Response(long rid, JsonElement? data) => Write(w =>
    {
        w.WriteNumber("rid", rid);
        if (data is { } d) { w.WritePropertyName("data"); WriteValue(w, d); }
    });

    /// <summary>An error response; the error is already dehydrated (an object or a plain value).</summary>
    public static string ErrorResponse(long rid, JsonElement error) => Write(w =>
    {
        w.WriteNumber("rid", rid);
        w.WritePropertyName("error");
        WriteValue(w, error);
    });

    /// <summary>An error response carrying the dehydrated error.</summary>
    public static string ErrorResponse(long rid, ScError error) => ErrorResponse(rid, error.Dehydrate());

    /// <summary>The publish envelope used in both directions: {"channel":C[,"data":D]}.</summary>
    public static JsonElement PublishData(string channel, JsonElement? data) => Element(w =>
    {
        w.WriteString("channel", channel);
        if (data is { } d) { w.WritePropertyName("data"); WriteValue(w, d); }
    });

    /// <summary>The server-to-client delivery of a publication (always a transmit), written in one pass.</summary>
    public static string Publish(string channel, JsonElement? data) => Write(w =>
    {
        w.WriteString("event", EventNames.Publish);
        w.WritePropertyName("data");
        w.WriteStartObject();
        w.WriteString("channel", channel);
        if (data is { } d) { w.WritePropertyName("data"); WriteValue(w, d); }
        w.WriteEndObject();
    });

    /// <summary>The kick-out notice; "message" is present only when one was given.</summary>
    public static string KickOut(string channel, JsonElement? message) => Event(EventNames.KickOut, Element(w =>
    {
        w.WriteString("channel", channel);
        if (message is { } m) { w.WritePropertyName("message"); WriteValue(w, m); }
    }));

    /// <summary>A batch: several already-encoded packets sent as one JSON array frame.</summary>
    public static string Batch(IEnumerable<string> frames) => "[" + string.Join(",", frames) + "]";

    /// <summary>Builds a JSON object element with the given writer body.</summary>
    public static JsonElement Element(Action<Utf8JsonWriter> body)
    {
        using var doc = JsonDocument.Parse(Write(body));
        return doc.RootElement.Clone();
    }

    /// <summary>
    /// Set while a frame is rewritten with its values' JSON text as received: a string that is not valid UTF-16 (a
    /// lone surrogate escape such as "\ud800", which JSON allows and JavaScript echoes) cannot be unescaped and
    /// written again by Utf8JsonWriter (RB-019, found by the fuzzer).
    /// </summary>
    [ThreadStatic] private static bool t_rawValues;

    private static void WriteValue(Utf8JsonWriter writer, JsonElement value)
    {
        if (t_rawValues) writer.WriteRawValue(value.GetRawText(), skipInputValidation: true);
        else value.WriteTo(writer);
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        try
        {
            return WriteOnce(body);
        }
        catch (InvalidOperationException) when (!t_rawValues)
        {
            t_rawValues = true;
            try { return WriteOnce(body); }
            finally { t_rawValues = false; }
        }
    }

    // One buffer and writer per thread, reused: a frame then allocates only its string.
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;
    private const int KeptBufferBytes = 64 * 1024;

    private static string WriteOnce(Action<Utf8JsonWriter> body)
    {
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(256);
        var writer = t_writer ?? new Utf8JsonWriter(buffer);
        t_buffer = null; // taken: a nested Write (none today) would get its own
        t_writer = null;
        try
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
            writer.Flush();
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            if (buffer.Capacity <= KeptBufferBytes) // a rare huge frame does not pin its buffer to the thread
            {
                t_buffer = buffer;
                t_writer = writer;
            }
        }
    }
}
