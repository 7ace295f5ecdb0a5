using System.Text;
using System.Text.Json;

namespace SocketCluster.Protocol;

/// <summary>Decodes a signed JWT's payload without verifying it, as the official client does for authToken.</summary>
public static class AuthTokenPayload
{
    /// <summary>The payload as JSON, or null when the token is not a three-part JWT with a JSON payload.</summary>
    public static JsonElement? Decode(string? signedToken)
    {
        if (string.IsNullOrEmpty(signedToken)) return null;
        var parts = signedToken.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            var segment = parts[1].Replace('-', '+').Replace('_', '/');
            segment = segment.PadRight(segment.Length + (4 - segment.Length % 4) % 4, '=');
            var json = Encoding.UTF8.GetString(Convert.FromBase64String(segment));
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }
}
