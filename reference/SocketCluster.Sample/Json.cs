using System.Text.Json;

namespace SocketCluster.Sample;

/// <summary>JS-like reading of JSON data (member access on plain objects).</summary>
internal static class Json
{
    /// <summary>A non-null object that is not an array (the contract's isPlainObject).</summary>
    public static bool IsPlainObject(JsonElement? value) => value is { ValueKind: JsonValueKind.Object };

    /// <summary>data.name for an object; null when data is not an object or has no such member.</summary>
    public static JsonElement? Member(JsonElement? data, string name) =>
        data is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty(name, out var v) ? v : null;

    public static string? String(JsonElement? data, string name) =>
        Member(data, name) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;

    public static bool Has(JsonElement? data, string name) => Member(data, name) is not null;
}
