using System.Globalization;
using System.Text.Json;

namespace Conformance.Engine.Support;

/// <summary>
/// Matches JSON values against the patterns of STEPS.md §0.3: type placeholders ("&lt;string&gt;", "&lt;number&gt;",
/// "&lt;boolean&gt;", "&lt;object&gt;", "&lt;array&gt;", "&lt;any&gt;", "&lt;jwt&gt;", "&lt;absent&gt;"), "$lastCid" / "$cid" for the
/// connection's last request cid; objects match on the pattern's keys (extra keys allowed unless exact), arrays
/// element by element with equal length. ("$token.NAME" and "$id.NAME" are substituted before parsing.)
/// </summary>
public static class JsonPattern
{
    public const string Absent = "<absent>";

    /// <summary>Null when <paramref name="actual"/> matches; otherwise where and why it does not.</summary>
    public static string? Mismatch(JsonElement pattern, JsonElement actual, long? lastCid = null, bool exact = false) =>
        Compare(pattern, actual, lastCid, exact, "$");

    public static bool Matches(JsonElement pattern, JsonElement actual, long? lastCid = null, bool exact = false) =>
        Mismatch(pattern, actual, lastCid, exact) is null;

    private static string? Compare(JsonElement pattern, JsonElement actual, long? lastCid, bool exact, string path)
    {
        if (pattern.ValueKind == JsonValueKind.String)
        {
            var p = pattern.GetString()!;
            switch (p)
            {
                case "<any>": return null;
                case "<string>": return Kind(actual, JsonValueKind.String, path, "a string");
                case "<number>": return Kind(actual, JsonValueKind.Number, path, "a number");
                case "<object>": return Kind(actual, JsonValueKind.Object, path, "an object");
                case "<array>": return Kind(actual, JsonValueKind.Array, path, "an array");
                case "<boolean>":
                    return actual.ValueKind is JsonValueKind.True or JsonValueKind.False ? null
                        : $"{path}: expected a boolean, got {Show(actual)}";
                case "<jwt>":
                    return actual.ValueKind == JsonValueKind.String && IsJwt(actual.GetString()!) ? null
                        : $"{path}: expected a JWT (three base64url segments, the middle one a JSON object), got {Show(actual)}";
                case Absent: return $"{path}: expected no value, got {Show(actual)}";
                case "$lastCid" or "$cid":
                    if (lastCid is null) return $"{path}: the pattern uses {p} but the connection has sent no request";
                    return actual.ValueKind == JsonValueKind.Number && actual.TryGetInt64(out var n) && n == lastCid
                        ? null : $"{path}: expected the last request's cid {lastCid}, got {Show(actual)}";
            }
        }

        switch (pattern.ValueKind)
        {
            case JsonValueKind.Object:
            {
                if (actual.ValueKind != JsonValueKind.Object) return $"{path}: expected an object, got {Show(actual)}";
                foreach (var property in pattern.EnumerateObject())
                {
                    var childPath = $"{path}.{property.Name}";
                    var present = actual.TryGetProperty(property.Name, out var value);
                    if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() == Absent)
                    {
                        if (present) return $"{childPath}: expected the key to be absent, got {Show(value)}";
                        continue;
                    }
                    if (!present) return $"{childPath}: missing (expected {Show(property.Value)})";
                    if (Compare(property.Value, value, lastCid, exact, childPath) is { } inner) return inner;
                }
                if (exact)
                {
                    var extra = actual.EnumerateObject().Select(p => p.Name)
                        .Where(name => !pattern.TryGetProperty(name, out _)).ToList();
                    if (extra.Count > 0) return $"{path}: unexpected keys {string.Join(", ", extra)}";
                }
                return null;
            }
            case JsonValueKind.Array:
            {
                if (actual.ValueKind != JsonValueKind.Array) return $"{path}: expected an array, got {Show(actual)}";
                var expectedLength = pattern.GetArrayLength();
                var actualLength = actual.GetArrayLength();
                if (expectedLength != actualLength)
                    return $"{path}: expected {expectedLength} elements, got {actualLength}: {Show(actual)}";
                for (var i = 0; i < expectedLength; i++)
                    if (Compare(pattern[i], actual[i], lastCid, exact, $"{path}[{i}]") is { } inner) return inner;
                return null;
            }
            case JsonValueKind.Number:
                return actual.ValueKind == JsonValueKind.Number && NumbersEqual(pattern, actual)
                    ? null : $"{path}: expected {pattern.GetRawText()}, got {Show(actual)}";
            default:
                return pattern.ValueKind == actual.ValueKind
                       && (pattern.ValueKind != JsonValueKind.String || pattern.GetString() == actual.GetString())
                    ? null : $"{path}: expected {pattern.GetRawText()}, got {Show(actual)}";
        }
    }

    /// <summary>Three base64url segments separated by '.', the middle one decoding to a JSON object.</summary>
    public static bool IsJwt(string text)
    {
        var parts = text.Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0 || p.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))) return false;
        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
            using var document = JsonDocument.Parse(Convert.FromBase64String(payload));
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }

    private static bool NumbersEqual(JsonElement a, JsonElement b)
    {
        if (a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y)) return x == y;
        return a.GetDouble().Equals(b.GetDouble());
    }

    private static string? Kind(JsonElement actual, JsonValueKind kind, string path, string what) =>
        actual.ValueKind == kind ? null : $"{path}: expected {what}, got {Show(actual)}";

    private static string Show(JsonElement e)
    {
        var text = e.GetRawText();
        return text.Length > 300 ? text[..300] + "…" : text;
    }

    /// <summary>Parses pattern text; null when it is not JSON (such patterns compare as exact text).</summary>
    public static JsonElement? TryParse(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static JsonElement Parse(string text, string what)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{what} is not valid JSON: {text} ({e.Message})", e);
        }
    }

    public static JsonElement String(string value) => JsonSerializer.SerializeToElement(value);

    public static JsonElement Number(long value) => JsonSerializer.SerializeToElement(value);

    internal static string Invariant(long n) => n.ToString(CultureInfo.InvariantCulture);
}
