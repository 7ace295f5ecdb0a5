using System.Text.Json;

namespace Conformance.JsHosts;

internal static class DriverResults
{
    /// <summary>Throws when a driver result is not <c>{ok: true}</c> (for the hosts' own housekeeping calls).</summary>
    public static void EnsureOk(JsonElement result, string hostName, string command)
    {
        if (result.ValueKind == JsonValueKind.Object && result.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True) return;
        throw new JsDriverHostException($"{hostName} driver: {command} failed: {result.GetRawText()}");
    }
}
