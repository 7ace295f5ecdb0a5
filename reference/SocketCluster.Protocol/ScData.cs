using System.Text.Json;

namespace SocketCluster.Protocol;

/// <summary>
/// Reading event and request data the way JavaScript handlers do, without exceptions on unexpected shapes.
/// Data is a <see cref="JsonElement"/>? everywhere: null means the packet had no <c>data</c> key, a
/// <see cref="JsonValueKind.Null"/> element means JSON null (<see cref="ScCodec.NullElement"/>).
/// </summary>
public static class ScData
{
    /// <summary>
    /// JavaScript truthiness of decoded data, which both official peers apply to data they test with <c>if (x)</c>
    /// (an auth token, isAuthenticated, authError, a response's error): false for absent data, null, false, 0, NaN and "";
    /// true otherwise, empty objects and arrays included.
    /// </summary>
    public static bool IsTruthy(JsonElement? value) => value is { } e && e.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined or JsonValueKind.False => false,
        JsonValueKind.Number => e.GetDouble() is var d && d != 0 && !double.IsNaN(d),
        JsonValueKind.String => e.GetString()!.Length > 0,
        _ => true,
    };

    /// <summary><c>data.name</c>: the member of an object, or null when data is absent, not an object, or has no such member.</summary>
    public static JsonElement? Member(JsonElement? data, string name) =>
        data is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty(name, out var v) ? v : null;
}

/// <summary>Typed views of data streams (receivers, channels): <c>await foreach (var n in socket.Receiver("count").As&lt;int&gt;())</c>.</summary>
public static class ScDataStreams
{
    /// <summary>
    /// Reads each item as T (absent data reads as default). An item that does not fit T is skipped and passed to
    /// <paramref name="onInvalid"/>, so one bad message never ends the consumer's loop.
    /// </summary>
    public static async IAsyncEnumerable<T?> As<T>(this IAsyncEnumerable<JsonElement?> source, JsonSerializerOptions? options = null,
        Action<JsonElement?, JsonException>? onInvalid = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        await foreach (var data in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            T? item;
            try
            {
                item = ScCodec.FromData<T>(data, options);
            }
            catch (JsonException e)
            {
                onInvalid?.Invoke(data, e);
                continue;
            }
            yield return item;
        }
    }
}
