using System.Text.Json.Nodes;

namespace Conformance.Mutants.Mutations;

/// <summary>Small JSON helpers shared by the mutations.</summary>
internal static class Json
{
    public static JsonNode Parse(string json) => JsonNode.Parse(json)!;

    /// <summary>Removes a key; true when it was there.</summary>
    public static bool RemoveKey(JsonObject? obj, string key) => obj is not null && obj.Remove(key);

    public static long? Long(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<long>(out var l) ? l
        : node is JsonValue d && d.TryGetValue<double>(out var x) && x == Math.Floor(x) ? (long)x
        : null;

    public static string? String(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static bool True(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    /// <summary>Structural equality of two optional JSON values (null node = absent).</summary>
    public static bool Same(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);
}
