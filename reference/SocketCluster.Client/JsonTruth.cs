using System.Text.Json;

namespace SocketCluster.Client;

/// <summary>JS truthiness of JSON values, which the official client relies on in several places.</summary>
internal static class JsonTruth
{
    public static bool IsTruthy(JsonElement? value) => value is { } e && e.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined or JsonValueKind.False => false,
        JsonValueKind.String => e.GetString()!.Length > 0,
        JsonValueKind.Number => e.GetDouble() is var d && d != 0 && !double.IsNaN(d),
        _ => true,
    };
}
