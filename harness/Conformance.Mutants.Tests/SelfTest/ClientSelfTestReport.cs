using System.Text;
using Conformance.Engine.Running;
using Conformance.Mutants.Clients;

namespace Conformance.Mutants.Tests.SelfTest;

/// <summary>The client self-test's findings: each client mutant's outcome and the baseline, with a Markdown rendering.</summary>
public sealed record ClientSelfTestReport(IReadOnlyList<ClientMutantOutcome> Outcomes, IReadOnlyList<ScenarioResult> Baseline,
    TimeSpan Duration, int Workers, bool Exhaustive)
{
    public ClientMutantOutcome For(string mutantId) => Outcomes.Single(o => o.Mutant.Id == mutantId);

    public int Killed => Outcomes.Count(o => o.Killed);

    public int ScenariosRun => Outcomes.Sum(o => o.Results.Count) + Baseline.Count;

    public string Summary =>
        $"client mutants: {Outcomes.Count}, killed: {Killed}, survivors: {Outcomes.Count - Killed} " +
        $"(expected: {ClientMutantCatalog.ExpectedSurvivors.Count}); scenario runs: {ScenariosRun} " +
        $"({Baseline.Count} baseline); {Duration.TotalSeconds:F0} s with {Workers} workers";

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Client mutant self-test");
        sb.AppendLine();
        sb.AppendLine($"- {Summary}");
        sb.AppendLine(Exhaustive
            ? "- Mode: exhaustive (every targeted scenario runs under every mutant)"
            : "- Mode: first catch (a mutant's targeted scenarios run until one fails; MUTANTS_EXHAUSTIVE=1 runs them all)");
        sb.AppendLine();
        sb.AppendLine("| Client mutant | Mechanism | Requirements | Targeted / run | Failing scenarios (passing unmodified) | Verdict |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (var o in Outcomes)
        {
            var expected = ClientMutantCatalog.ExpectedSurvivors.TryGetValue(o.Mutant.Id, out var why);
            var verdict = o.Killed ? expected ? "**killed (remove from ExpectedSurvivors)**" : "killed"
                : o.Ran == 0 ? "**NOT RUN** (no runnable scenario)"
                : expected ? $"survives (expected: {why})" : "**SURVIVED**";
            var names = string.Join("<br>", o.CaughtBy.Select(r => $"{r.Id} {r.DisplayName}"));
            sb.AppendLine($"| `{o.Mutant.Id}` {o.Mutant.Description} | {o.Mutant.Mechanism} | {string.Join(" ", o.Mutant.Breaks)} | {o.Targeted} / {o.Ran} | {names} | {verdict} |");
        }
        var notPassing = Baseline.Where(r => r.Status != ScenarioStatus.Passed).ToList();
        if (notPassing.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## Targeted scenarios not passing with the unmodified clients (excluded)");
            foreach (var r in notPassing) sb.AppendLine($"- {r.Status}: {r.Id} {r.DisplayName}: {r.Message?.Split('\n')[0]}");
        }
        sb.AppendLine();
        sb.AppendLine("## Why each mutant was caught (first failing step)");
        foreach (var o in Outcomes.Where(o => o.Killed))
            sb.AppendLine($"- `{o.Mutant.Id}` ({o.Duration.TotalSeconds:F1} s): {o.CaughtBy[0].Id}: {o.CaughtBy[0].Message?.Split('\n')[0]}");
        return sb.ToString();
    }
}
