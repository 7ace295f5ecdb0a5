using System.Globalization;
using System.Text.RegularExpressions;

namespace Conformance.Engine.Traceability;

/// <summary>
/// Parses spec/requirements.md: each requirement is a heading "### ID Title", a line
/// "- Level: L | Role: R | Versions: 1, 2 | Conformance: Ln", a line "- Digest: ...", a paragraph and "Rationale:".
/// Malformed entries are reported as problems (never silently skipped).
/// </summary>
public static partial class RequirementsParser
{
    public static readonly IReadOnlySet<string> Levels = new HashSet<string> { "MUST", "SHOULD", "MAY", "INFORMATIONAL" };
    public static readonly IReadOnlySet<string> Roles = new HashSet<string> { "server", "client", "both", "cluster" };
    public static readonly IReadOnlySet<string> ConformanceLevels = new HashSet<string> { "L1", "L2", "L3", "L4" };

    [GeneratedRegex("^[A-Z][A-Z0-9]-[0-9]{3}$")]
    public static partial Regex IdPattern();

    [GeneratedRegex("^###\\s+(\\S+)\\s+(.+?)\\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex("^-\\s*Level:\\s*(?<level>[A-Z]+)\\s*\\|\\s*Role:\\s*(?<role>\\w+)\\s*\\|\\s*Versions:\\s*(?<versions>[0-9,\\s]+?)\\s*\\|\\s*Conformance:\\s*(?<conf>L\\d)\\s*$")]
    private static partial Regex Fields();

    [GeneratedRegex("^-\\s*Digest:\\s*(.*)$")]
    private static partial Regex DigestLine();

    public static (IReadOnlyList<Requirement> Requirements, IReadOnlyList<RequirementProblem> Problems) Parse(string text)
    {
        var requirements = new List<Requirement>();
        var problems = new List<RequirementProblem>();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var heading = Heading().Match(lines[i]);
            if (!heading.Success) continue;
            var line = i + 1;
            var id = heading.Groups[1].Value;
            var title = heading.Groups[2].Value;
            if (!IdPattern().IsMatch(id))
            {
                problems.Add(new RequirementProblem(line, $"'{id}' is not a requirement ID (<area>-<3 digits>, e.g. HS-004)"));
                continue;
            }
            if (seen.TryGetValue(id, out var first))
                problems.Add(new RequirementProblem(line, $"{id} is defined twice (first at line {first})"));
            else seen[id] = line;

            var fields = i + 1 < lines.Length ? Fields().Match(lines[i + 1].Trim()) : Match.Empty;
            if (!fields.Success)
            {
                problems.Add(new RequirementProblem(line + 1, $"{id}: expected '- Level: MUST | Role: server | Versions: 1, 2 | Conformance: L1'"));
                continue;
            }
            var level = fields.Groups["level"].Value;
            var role = fields.Groups["role"].Value;
            var conformance = fields.Groups["conf"].Value;
            if (!Levels.Contains(level)) problems.Add(new RequirementProblem(line + 1, $"{id}: unknown Level '{level}'"));
            if (!Roles.Contains(role)) problems.Add(new RequirementProblem(line + 1, $"{id}: unknown Role '{role}'"));
            if (!ConformanceLevels.Contains(conformance)) problems.Add(new RequirementProblem(line + 1, $"{id}: unknown Conformance '{conformance}'"));
            var versions = new List<int>();
            foreach (var part in fields.Groups["versions"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (part is "1" or "2") versions.Add(int.Parse(part, CultureInfo.InvariantCulture));
                else problems.Add(new RequirementProblem(line + 1, $"{id}: unknown protocol version '{part}'"));
            }
            if (versions.Count == 0) problems.Add(new RequirementProblem(line + 1, $"{id}: no protocol version"));

            var digest = i + 2 < lines.Length ? DigestLine().Match(lines[i + 2].Trim()) : Match.Empty;
            if (!digest.Success) problems.Add(new RequirementProblem(line + 2, $"{id}: expected '- Digest: ...'"));
            requirements.Add(new Requirement(id, title, level, role, versions, conformance, digest.Success ? digest.Groups[1].Value.Trim() : "", line));
        }
        return (requirements, problems);
    }

    public static (IReadOnlyList<Requirement> Requirements, IReadOnlyList<RequirementProblem> Problems) Load(string repoRoot) =>
        Parse(File.ReadAllText(Path.Combine(repoRoot, "spec", "requirements.md")));
}
