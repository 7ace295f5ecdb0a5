using System.Text;
using Conformance.Engine.Running;
using Conformance.Mutants;

namespace Conformance.Mutants.Tests.SelfTest;

/// <summary>The self-test's findings: baseline, each mutation's outcome, and a Markdown rendering.</summary>
public sealed record SelfTestReport(MutationOutcome Baseline, IReadOnlyList<ScenarioResult> DirectRuns,
    IReadOnlyList<MutationOutcome> Outcomes, int ServerScenarioCount, TimeSpan Duration, string UpstreamDescription, int Workers, bool Exhaustive)
{
    /// <summary>Ids of the scenarios that passed through the transparent proxy.</summary>
    public IReadOnlySet<string> BaselinePassed { get; } =
        Baseline.Results.Where(r => r.Status == ScenarioStatus.Passed).Select(r => r.Id).ToHashSet();

    /// <summary>Scenarios that fail through the transparent proxy but pass straight against the server: proxy bugs.</summary>
    public IReadOnlyList<ScenarioResult> ProxyTransparencyFailures =>
        DirectRuns.Where(r => r.Status == ScenarioStatus.Passed).ToList();

    public MutationOutcome For(string mutationId) => Outcomes.Single(o => o.Mutation.Id == mutationId);

    public IReadOnlyList<ScenarioResult> CaughtBy(MutationOutcome outcome) => outcome.FailedAgainst(BaselinePassed);

    public IEnumerable<MutationOutcome> DetectedViolations =>
        Outcomes.Where(o => !o.Mutation.IsLegal && CaughtBy(o).Count > 0);

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        var violations = Outcomes.Where(o => !o.Mutation.IsLegal).ToList();
        sb.AppendLine("# Mutant self-test");
        sb.AppendLine();
        sb.AppendLine($"- Detected violations: **{DetectedViolations.Count()} of {violations.Count}**");
        sb.AppendLine($"- Legal variations with a failing scenario: {Outcomes.Count(o => o.Mutation.IsLegal && CaughtBy(o).Count > 0)} of {Outcomes.Count(o => o.Mutation.IsLegal)}");
        sb.AppendLine($"- Server v2 scenarios in the suite: {ServerScenarioCount}; baseline (transparent proxy): {BaselinePassed.Count} passed of {Baseline.Results.Count} run");
        sb.AppendLine($"- Total run time: {Duration.TotalSeconds:F1} s ({Workers} workers, each with its own upstream: {UpstreamDescription})");
        sb.AppendLine(Exhaustive
            ? "- Mode: exhaustive (every targeted scenario runs under every violation)"
            : "- Mode: first catch (a violation's targeted scenarios run until one fails; MUTANTS_EXHAUSTIVE=1 runs them all)");
        sb.AppendLine();
        sb.AppendLine("| Mutation | Kind | Requirements | Scenarios run | Failing scenarios (passing through the transparent proxy) | Verdict |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (var o in Outcomes)
        {
            var caught = CaughtBy(o);
            var verdict = o.Mutation.IsLegal
                ? caught.Count == 0 ? "ok (none failed)" : "**FALSE ALARM**"
                : caught.Count > 0 ? "caught" : o.Ran == 0 ? "**NOT RUN** (no runnable scenario)" : "**MISSED**";
            var names = string.Join("<br>", caught.Select(r => $"{r.Id} {r.DisplayName}"));
            sb.AppendLine($"| `{o.Mutation.Id}` | {o.Mutation.Kind} | {string.Join(" ", o.Mutation.Breaks)} | {o.Ran} | {names} | {verdict} |");
        }
        var notPassing = Baseline.Results.Where(r => r.Status != ScenarioStatus.Passed).ToList();
        if (notPassing.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## Scenarios not passing through the transparent proxy (excluded from detection)");
            foreach (var r in notPassing)
            {
                var direct = DirectRuns.FirstOrDefault(d => d.Id == r.Id);
                sb.AppendLine($"- {r.Status}: {r.Id} {r.DisplayName} — direct against the server: {direct?.Status.ToString() ?? "not run"}; {FirstLine(r.Message)}");
            }
        }
        foreach (var o in Outcomes.Where(o => o.Mutation.IsLegal && CaughtBy(o).Count > 0))
        {
            sb.AppendLine();
            sb.AppendLine($"## False alarms under `{o.Mutation.Id}`");
            foreach (var r in CaughtBy(o)) sb.AppendLine($"- {r.Summary}\n```\n{r.Transcript}\n```");
        }
        sb.AppendLine();
        sb.AppendLine("## Every result, per mutation (status under the mutation / through the transparent proxy)");
        var baselineStatus = Baseline.Results.ToDictionary(r => r.Id, r => r.Status);
        foreach (var o in Outcomes)
        {
            sb.AppendLine($"- `{o.Mutation.Id}` ({o.Duration.TotalSeconds:F1} s): " + string.Join("; ", o.Results.Select(r =>
                $"{r.Id} {r.Status}/{(baselineStatus.TryGetValue(r.Id, out var b) ? b.ToString() : "?")}")));
        }
        return sb.ToString();
    }

    private static string FirstLine(string? s) => s is null ? "" : s.Split('\n')[0];
}
