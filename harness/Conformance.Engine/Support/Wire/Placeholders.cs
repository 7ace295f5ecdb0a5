using System.Text.Json;
using System.Text.RegularExpressions;

namespace Conformance.Engine.Support;

/// <summary>
/// Substitutes the placeholders of STEPS.md §0.3 in frames, data, options and patterns: "$token.NAME", "$id.NAME",
/// "$now+N" / "$now-N" (quoted), and in outbound raw frames $cid and $receivedCid (unquoted).
/// </summary>
public static partial class Placeholders
{
    [GeneratedRegex("\"\\$token\\.([A-Za-z0-9_-]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("\"\\$id\\.([A-Za-z0-9_-]+)\"")]
    private static partial Regex IdPattern();

    [GeneratedRegex("\"\\$now([+-])(\\d+)\"")]
    private static partial Regex NowPattern();

    [GeneratedRegex("\\$cid(?![A-Za-z0-9_])")]
    private static partial Regex CidPattern();

    [GeneratedRegex("\\$receivedCid(?![A-Za-z0-9_])")]
    private static partial Regex ReceivedCidPattern();

    /// <summary>Replaces the quoted placeholders ($token, $id, $now) with JSON values.</summary>
    public static string Substitute(string text, Func<string, string> token, Func<string, string> id)
    {
        text = TokenPattern().Replace(text, m => JsonSerializer.Serialize(token(m.Groups[1].Value)));
        text = IdPattern().Replace(text, m => JsonSerializer.Serialize(id(m.Groups[1].Value)));
        text = NowPattern().Replace(text, m =>
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var n = long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            return JsonPattern.Invariant(m.Groups[1].Value == "+" ? now + n : now - n);
        });
        return text;
    }

    public static bool HasCid(string text) => CidPattern().IsMatch(text);

    /// <summary>Replaces every unquoted $cid with the same allocated cid (allocated only when present).</summary>
    public static string SubstituteCid(string text, Func<long> allocate)
    {
        if (!HasCid(text)) return text;
        var cid = allocate();
        return CidPattern().Replace(text, JsonPattern.Invariant(cid));
    }

    public static string SubstituteReceivedCid(string text, Func<long?> receivedCid)
    {
        if (!ReceivedCidPattern().IsMatch(text)) return text;
        var cid = receivedCid() ?? throw new InvalidOperationException(
            "$receivedCid is used, but no frame with a cid has been matched by a 'receives' step on this connection yet.");
        return ReceivedCidPattern().Replace(text, JsonPattern.Invariant(cid));
    }
}
