using System.Text;
using System.Text.Json;

namespace Conformance.Reports;

/// <summary>
/// shields.io endpoint badges (https://shields.io/badges/endpoint-badge) with the verified level: badge.json for the
/// server under test, badge-SUBJECT.json for each client driver graded in the run.
/// </summary>
public static class Badge
{
    public static string FileName(string subject) => subject == "server" ? "badge.json" : $"badge-{subject}.json";

    /// <summary>One badge per subject: "L4 @ v2" (one label per protocol version, newest first).</summary>
    public static IReadOnlyList<(string Subject, string Json)> All(ConformanceResult result) =>
        result.Levels.GroupBy(l => l.Subject).Select(g => (g.Key, Json(g.Key, g.OrderByDescending(l => l.ProtocolVersion).ToList()))).ToList();

    /// <summary>
    /// Green when every version is verified at the claimed level, yellow when it is verified lower or unverified,
    /// red when no level is verified.
    /// </summary>
    public static string Json(string subject, IReadOnlyList<LevelResult> levels)
    {
        var color = levels.Count == 0 || levels.Any(l => l.Verified == 0) ? "red"
            : levels.All(l => l.Verified >= l.Claimed && !l.Unverified) ? "brightgreen" : "yellow";
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 1);
            json.WriteString("label", subject == "server" ? "SocketCluster conformance" : $"SocketCluster client ({subject})");
            json.WriteString("message", levels.Count == 0 ? "no level" : string.Join(", ", levels.Select(l => l.Label)));
            json.WriteString("color", color);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
