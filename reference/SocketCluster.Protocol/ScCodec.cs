using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SocketCluster.Protocol;

/// <summary>
/// The default SocketCluster codec, equivalent to sc-formatter 4: JSON with a binary marker on encode,
/// and a lenient decode where anything that is not a JSON object or array stays a raw string.
/// </summary>
public static class ScCodec
{
    /// <summary>Options used to turn application objects into JSON; byte arrays become the base64 marker.</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.Converters.Add(new BinaryMarkerConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Turns an application value into JSON data. A null value is JSON null (absence is modelled by the caller).</summary>
    /// <exception cref="JsonException">The value cannot be serialised (see <see cref="ToData(object?, JsonSerializerOptions?)"/>).</exception>
    public static JsonElement ToData(object? value) => ToData(value, null);

    /// <summary>
    /// Turns an application value into JSON data with the given serializer options (e.g. with a source-generated
    /// JsonSerializerContext as TypeInfoResolver); null options are <see cref="SerializerOptions"/>.
    /// </summary>
    /// <exception cref="JsonException">
    /// The value cannot be serialised: a reference cycle, a type System.Text.Json does not support (a delegate), a
    /// NaN or infinite number. Every serialisation failure is this one type (the original is the inner exception),
    /// so callers catch one type, as the official codec's JSON.stringify fails with one TypeError.
    /// </exception>
    public static JsonElement ToData(object? value, JsonSerializerOptions? options)
    {
        switch (value)
        {
            case JsonElement element:
                return element.Clone();
            case null:
                return NullElement;
        }
        try
        {
            return JsonSerializer.SerializeToElement(value, value.GetType(), options ?? SerializerOptions);
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw new JsonException($"A {value.GetType().Name} value cannot be serialised as JSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// The data of an outbound call under the one convention of both peers: null is no "data" key, anything else
    /// is serialised (JSON null is <see cref="NullElement"/>).
    /// </summary>
    /// <exception cref="JsonException">The value cannot be serialised.</exception>
    public static JsonElement? ToOptionalData(object? value, JsonSerializerOptions? options = null) =>
        value is null ? null : ToData(value, options);

    /// <summary>Reads JSON data as a .NET value of type T (absent data reads as default).</summary>
    /// <exception cref="JsonException">The data does not fit T.</exception>
    public static T? FromData<T>(JsonElement? data) =>
        data is { } element ? element.Deserialize<T>(SerializerOptions) : default;

    /// <summary>Reads JSON data as T with the given serializer options (null: <see cref="SerializerOptions"/>); absent data reads as default.</summary>
    /// <exception cref="JsonException">The data does not fit T.</exception>
    public static T? FromData<T>(JsonElement? data, JsonSerializerOptions? options) =>
        data is { } element ? element.Deserialize<T>(options ?? SerializerOptions) : default;

    /// <summary>A JSON null value.</summary>
    public static JsonElement NullElement { get; } = JsonDocument.Parse("null").RootElement.Clone();

    /// <summary>
    /// Decodes one inbound WebSocket message as sc-formatter does: "#1"/"#2" unchanged, text that does not start
    /// (after spaces, tabs, CR, LF) with '{' or '[' stays a raw string, unparsable JSON stays a raw string.
    /// </summary>
    public static DecodedMessage Decode(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!LooksLikeJson(message)) return new DecodedMessage(message, null);
        try
        {
            using var document = JsonDocument.Parse(message, new JsonDocumentOptions { MaxDepth = 256 });
            return new DecodedMessage(message, document.RootElement.Clone());
        }
        catch (JsonException)
        {
            return new DecodedMessage(message, null);
        }
    }

    /// <summary>Binary frames are decoded as their UTF-8 text, as the official server does.</summary>
    public static DecodedMessage Decode(ReadOnlySpan<byte> binary) => Decode(Encoding.UTF8.GetString(binary));

    private static bool LooksLikeJson(string message)
    {
        foreach (var c in message)
        {
            if (c is ' ' or '\t' or '\r' or '\n') continue;
            return c is '{' or '[';
        }
        return false;
    }

    /// <summary>Encodes JSON data as compact text (the v1 ping/pong strings are never passed through here).</summary>
    public static string Encode(JsonElement value)
    {
        try
        {
            return JsonSerializer.Serialize(value);
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException)
        {
            // A string that is not valid UTF-16 (a lone surrogate escape) cannot be re-serialised; its JSON text as
            // received is valid JSON with the same value (RB-019, found by the fuzzer).
            return value.GetRawText();
        }
    }

    /// <summary>sc-formatter turns binary values into {"base64":true,"data":"..."} when encoding.</summary>
    private sealed class BinaryMarkerConverter : JsonConverter<byte[]>
    {
        public override byte[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String) return reader.GetBytesFromBase64();
            using var doc = JsonDocument.ParseValue(ref reader);
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.String)
                return Convert.FromBase64String(data.GetString()!);
            throw new JsonException("Expected a base64 binary marker object.");
        }

        public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteBoolean("base64", true);
            writer.WriteString("data", Convert.ToBase64String(value));
            writer.WriteEndObject();
        }
    }
}

/// <summary>The result of decoding one message: the original text and, when it was a JSON object or array, its value.</summary>
public readonly record struct DecodedMessage(string Text, JsonElement? Json)
{
    /// <summary>True when the message was a JSON object or array.</summary>
    public bool IsJson => Json is not null;
}
