using System.Text;
using Conformance.Engine.Catalog;

namespace Conformance.Engine.Traceability;

/// <summary>The requirement ↔ scenario join: coverage and tag-consistency problems, and the generated spec/traceability.md.</summary>
public sealed record TraceabilityReport(IReadOnlyList<string> Problems, string Markdown, int CoveredMust, int TotalMust);

public static class TraceabilityMatrix
{
    public static TraceabilityReport Build(IReadOnlyList<Requirement> requirements, IReadOnlyList<RequirementProblem> requirementProblems,
        IReadOnlyList<ScenarioCase> scenarios)
    {
        var problems = requirementProblems.Select(p => p.ToString()).ToList();
        var byId = requirements.GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var coverage = requirements.ToDictionary(r => r.Id, _ => new SortedSet<(string Path, int Line, string Name)>(), StringComparer.Ordinal);

        foreach (var scenario in scenarios)
        {
            if (scenario.LoadError is { } error)
            {
                problems.Add($"{scenario.FeaturePath}: Gherkin syntax error: {error}");
                continue;
            }
            var where = $"{scenario.FeaturePath}:{scenario.ScenarioLine} ({scenario.Name})";
            var ids = scenario.Tags.Where(t => RequirementsParser.IdPattern().IsMatch(t)).ToList();
            if (ids.Count == 0) problems.Add($"{where}: tags no requirement ID");
            var roles = scenario.Tags.Where(t => t is "server" or "client").ToList();
            if (roles.Count != 1) problems.Add($"{where}: needs exactly one of @server / @client, has {Tags(roles)}");
            var levels = scenario.Tags.Where(t => RequirementsParser.ConformanceLevels.Contains(t)).ToList();
            if (levels.Count != 1) problems.Add($"{where}: needs exactly one of @L1..@L4, has {Tags(levels)}");
            var versions = scenario.Tags.Where(t => t is "v1" or "v2").Select(t => t[1] - '0').ToList();
            if (versions.Count == 0) problems.Add($"{where}: needs @v1 and/or @v2");
            if (scenario.HasTag("not-v14") && !versions.Contains(1)) problems.Add($"{where}: @not-v14 only makes sense on a @v1 scenario");
            if (scenario.HasTag("not-v14-client") && (!versions.Contains(1) || !scenario.HasTag("client")))
                problems.Add($"{where}: @not-v14-client only makes sense on a @v1 @client scenario");

            var tagged = new List<Requirement>();
            foreach (var id in ids)
            {
                if (!byId.TryGetValue(id, out var requirement))
                {
                    problems.Add($"{where}: @{id} is not a requirement in spec/requirements.md");
                    continue;
                }
                tagged.Add(requirement);
                coverage[id].Add((scenario.FeaturePath, scenario.ScenarioLine, scenario.Name));
                if (requirement.IsInformational) problems.Add($"{where}: @{id} is INFORMATIONAL and must not be tagged");
                // Role cluster: a server requirement checked across the nodes of one cluster, by @server @cluster scenarios only.
                if (requirement.Role == "cluster" ? roles.Count == 1 && (roles[0] != "server" || !scenario.HasTag("cluster"))
                    : roles.Count == 1 && requirement.Role != "both" && requirement.Role != roles[0])
                    problems.Add($"{where}: a @{roles[0]}{(scenario.HasTag("cluster") ? " @cluster" : "")} scenario tags @{id}, whose Role is {requirement.Role}");
                if (scenario.HasTag("cluster") && requirement.Role != "cluster")
                    problems.Add($"{where}: a @cluster scenario tags @{id}, whose Role is {requirement.Role} (tag CL requirements)");
                foreach (var v in versions.Where(v => !requirement.Versions.Contains(v)))
                    problems.Add($"{where}: tagged @v{v}, but @{id} applies to versions {string.Join(", ", requirement.Versions)} only");
            }
            if (levels.Count == 1 && tagged.Count > 0)
            {
                var highest = tagged.Select(r => r.Conformance).Max(StringComparer.Ordinal)!;
                if (levels[0] != highest)
                    problems.Add($"{where}: tagged @{levels[0]}, but the highest level among its requirements is {highest}");
            }
        }

        var must = requirements.Where(r => r.IsMust).ToList();
        foreach (var r in must.Where(r => coverage[r.Id].Count == 0))
            problems.Add($"spec/requirements.md:{r.Line}: MUST requirement {r.Id} ({r.Title}) has no scenario");

        // Outline rows collapse into their outline: the same path, line and name appear once per requirement.
        var markdown = Render(requirements, coverage, scenarios);
        return new TraceabilityReport(problems.Distinct().ToList(), markdown, must.Count(r => coverage[r.Id].Count > 0), must.Count);
    }

    private static string Tags(IEnumerable<string> tags)
    {
        var list = tags.Select(t => "@" + t).ToList();
        return list.Count == 0 ? "none" : string.Join(" ", list);
    }

    private static string Render(IReadOnlyList<Requirement> requirements,
        Dictionary<string, SortedSet<(string Path, int Line, string Name)>> coverage, IReadOnlyList<ScenarioCase> scenarios)
    {
        var text = new StringBuilder();
        var must = requirements.Where(r => r.IsMust).ToList();
        var scenarioCount = scenarios.Where(s => s.LoadError is null).Select(s => (s.FeaturePath, s.ScenarioLine)).Distinct().Count();
        text.AppendLine("# Traceability: requirements ↔ scenarios");
        text.AppendLine();
        text.AppendLine("**Generated** by the traceability test in `harness/Conformance.Specs` from `spec/requirements.md` and the");
        text.AppendLine("tags of `features/**/*.feature`. Do not edit by hand: run `dotnet test harness/Conformance.Specs --filter Category=traceability`.");
        text.AppendLine();
        text.AppendLine($"- Requirements: {requirements.Count} ({must.Count} MUST, {requirements.Count(r => r.Level == "SHOULD")} SHOULD, " +
                        $"{requirements.Count(r => r.Level == "MAY")} MAY, {requirements.Count(r => r.IsInformational)} INFORMATIONAL)");
        text.AppendLine($"- MUST requirements with at least one scenario: {must.Count(r => coverage[r.Id].Count > 0)} of {must.Count}");
        var rows = scenarios.Where(s => s.LoadError is null && s.Client is null).ToList();
        var cases = ClientDimension.Expand(rows, []).Count;
        text.AppendLine($"- Scenarios: {scenarioCount} ({rows.Count} rows after Examples expansion; {cases} cases with the built-in clients, "
                        + $"each @client row once per client under test: {string.Join(", ", ClientDimension.BuiltInClients)})");
        text.AppendLine();
        text.AppendLine("| Requirement | Level | Role | Versions | Conformance | Scenarios |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var r in requirements)
        {
            var covered = coverage.TryGetValue(r.Id, out var set) ? set : [];
            var cells = covered.Count == 0
                ? (r.IsInformational ? "— (informational)" : "**none**")
                : string.Join("<br>", covered.Select(c => $"[{Escape(c.Name)}](../{c.Path}#L{c.Line}) `{Path.GetFileName(c.Path)}:{c.Line}`"));
            text.AppendLine($"| [{r.Id}](requirements.md#{Anchor(r)}) {Escape(r.Title)} | {r.Level} | {r.Role} | {string.Join(", ", r.Versions)} | {r.Conformance} | {cells} |");
        }
        var uncovered = requirements.Where(r => !r.IsInformational && coverage[r.Id].Count == 0).ToList();
        text.AppendLine();
        text.AppendLine("## Requirements without scenarios");
        text.AppendLine();
        if (uncovered.Count == 0) text.AppendLine("None.");
        foreach (var r in uncovered) text.AppendLine($"- {r.Id} ({r.Level}) {Escape(r.Title)}");
        return text.ToString();
    }

    /// <summary>GitHub's heading anchor for "### HS-004 Title": lower case, spaces to '-', punctuation dropped.</summary>
    private static string Anchor(Requirement r)
    {
        var heading = $"{r.Id} {r.Title}".ToLowerInvariant();
        var anchor = new StringBuilder();
        foreach (var c in heading)
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_') anchor.Append(c);
            else if (c == ' ') anchor.Append('-');
        }
        return anchor.ToString();
    }

    private static string Escape(string s) => s.Replace("|", "\\|");
}
