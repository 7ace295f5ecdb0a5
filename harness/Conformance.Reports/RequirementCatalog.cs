using System.Text;
using System.Text.RegularExpressions;

namespace Conformance.Reports;

/// <summary>RFC 2119 strength of a requirement; decides what its failure does to the run.</summary>
public enum RequirementLevel { Must, Should, May, Informational }

public sealed record Requirement(
    string Id,
    string Title,
    RequirementLevel Level,
    string Role,
    IReadOnlyList<int> Versions,
    int? Conformance,
    string Text)
{
    public string Area => Id[..Id.IndexOf('-')];
}

/// <summary>The requirements of spec/requirements.md, parsed from its "### ID Title" + "- Level: ..." blocks.</summary>
public sealed partial class RequirementCatalog
{
    private readonly Dictionary<string, Requirement> _byId;

    public RequirementCatalog(IEnumerable<Requirement> requirements)
    {
        _byId = requirements.ToDictionary(r => r.Id, StringComparer.Ordinal);
    }

    public static RequirementCatalog Empty { get; } = new([]);

    public IReadOnlyCollection<Requirement> All => _byId.Values;

    public Requirement? Find(string id) => _byId.GetValueOrDefault(id);

    [GeneratedRegex(@"^[A-Z][A-Z0-9]-\d{3}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^###\s+([A-Z][A-Z0-9]-\d{3})\b\s*(.*)$")]
    private static partial Regex HeadingPattern();

    public static bool IsRequirementId(string tag) => IdPattern().IsMatch(tag);

    public static RequirementCatalog Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>Parses the markdown. Text is the paragraph(s) after the metadata lines, up to "Rationale:" or the next heading.</summary>
    public static RequirementCatalog Parse(string markdown)
    {
        var result = new List<Requirement>();
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var heading = HeadingPattern().Match(lines[i].Trim());
            if (!heading.Success) continue;
            var id = heading.Groups[1].Value;
            var title = heading.Groups[2].Value.Trim();
            var level = RequirementLevel.Informational;
            var role = "";
            IReadOnlyList<int> versions = [1, 2];
            int? conformance = null;
            var text = new StringBuilder();
            var j = i + 1;
            for (; j < lines.Length && !lines[j].TrimStart().StartsWith('#'); j++)
            {
                var line = lines[j].Trim();
                if (line.StartsWith("- Level:", StringComparison.Ordinal))
                {
                    foreach (var field in line[2..].Split('|'))
                    {
                        var colon = field.IndexOf(':');
                        if (colon < 0) continue;
                        var name = field[..colon].Trim();
                        var value = field[(colon + 1)..].Trim();
                        switch (name)
                        {
                            case "Level": level = ParseLevel(value); break;
                            case "Role": role = value; break;
                            case "Versions":
                                versions = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                                    .Select(v => int.TryParse(v.TrimStart('v', 'V'), out var n) ? n : 0).Where(n => n > 0).ToList();
                                break;
                            case "Conformance": conformance = ConformanceLevel.Parse(value); break;
                        }
                    }
                    continue;
                }
                if (line.StartsWith("- ", StringComparison.Ordinal) && text.Length == 0 && line.Contains(':')) continue; // Digest: and other metadata
                if (line.StartsWith("Rationale:", StringComparison.Ordinal)) break;
                if (line.Length == 0) { if (text.Length > 0) text.Append('\n'); continue; }
                if (text.Length > 0 && text[^1] != '\n') text.Append(' ');
                text.Append(line);
            }
            result.Add(new Requirement(id, title, level, role, versions, conformance, text.ToString().Trim()));
            i = j - 1;
        }
        return new RequirementCatalog(result.GroupBy(r => r.Id).Select(g => g.First()));
    }

    public static RequirementLevel ParseLevel(string value) => value.Trim().ToUpperInvariant() switch
    {
        "MUST" or "MUST NOT" or "SHALL" or "REQUIRED" => RequirementLevel.Must,
        "SHOULD" or "SHOULD NOT" or "RECOMMENDED" => RequirementLevel.Should,
        "MAY" or "OPTIONAL" => RequirementLevel.May,
        _ => RequirementLevel.Informational,
    };
}

public static class ConformanceLevel
{
    /// <summary>"L3" / "@L3" -> 3; anything else -> null.</summary>
    public static int? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim().TrimStart('@');
        return t.Length == 2 && (t[0] == 'L' || t[0] == 'l') && t[1] is >= '1' and <= '4' ? t[1] - '0' : null;
    }

    public static string Format(int? level) => level is { } l and > 0 ? $"L{l}" : "none";

    /// <summary>What each level adds, after the official client-drivers list (cumulative).</summary>
    public static string Describe(int level) => level switch
    {
        1 => "emit and listen",
        2 => "automatic reconnection",
        3 => "pub/sub",
        4 => "JWT authentication",
        _ => "",
    };
}
