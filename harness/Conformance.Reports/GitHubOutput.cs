using System.Globalization;
using System.Text;

namespace Conformance.Reports;

/// <summary>
/// GitHub Actions output (issue 10 §7): workflow-command annotations that put each failure on its feature file line,
/// and the Markdown job summary ($GITHUB_STEP_SUMMARY, or --summary FILE).
/// </summary>
public static class GitHubOutput
{
    /// <summary>
    /// One "::error file=…,line=…,title=…::message" line per failure that fails the run and "::warning …" for a SHOULD
    /// failure that does not (without --strict); the file and line are the failing step's.
    /// </summary>
    public static IReadOnlyList<string> Annotations(ConformanceResult result, RequirementCatalog catalog)
    {
        var lines = new List<string>();
        foreach (var v in FailureBlock.Of(result))
        {
            var s = v.Scenario;
            var step = s.FailedStep;
            var message = new StringBuilder();
            message.Append(s.Key).Append(" v").Append(s.ProtocolVersion).Append(' ').Append(s.Name);
            if (step is not null) message.Append('\n').Append(step.Keyword.Trim()).Append(' ').Append(step.Text);
            if (TranscriptText.FirstLine(step?.Error ?? s.Error) is { Length: > 0 } error) message.Append('\n').Append(error);
            if (step is not null && TranscriptText.ExpectedActual(step) is { } diff) message.Append('\n').Append(diff);
            // The failing step's line when known, else the scenario's: the parts of ScenarioRecord.FailureLocation.
            var line = (step?.Line ?? s.KeyLine).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var command = v.FailsRun ? "error" : "warning";
            lines.Add($"::{command} file={Property(s.FeatureFile)},line={Property(line)},"
                + $"title={Property($"{VerdictText.Of(v.Verdict)} {FailureBlock.Requirements(s, catalog)}")}::{Data(message.ToString())}");
        }
        return lines;
    }

    /// <summary>The job summary: the verdict, the level per subject, the counts and each failure with expected vs actual.</summary>
    public static string Markdown(RunReport report, Func<ScenarioRecord, string?>? rerun = null)
    {
        var result = report.Result;
        var md = new StringBuilder();
        md.Append("## SocketCluster conformance: ").Append(result.VerdictLabel).Append(" (exit code ").Append(result.ExitCode).Append(")\n\n");
        md.Append(Cell(result.Reason)).Append(". ").Append(result.Scenarios.Count).Append(" scenario(s) against `").Append(report.Run.Endpoint).Append("` in ")
            .Append(report.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)).Append(" s, claimed L").Append(result.Options.ClaimedLevel)
            .Append(result.Options.Strict ? ", strict" : "").Append(".\n\n");

        if (result.Levels.Count > 0)
        {
            md.Append("| Subject | Verified level | MUST passed | MUST failed | MUST untested | SHOULD warnings |\n|---|---|---:|---:|---:|---|\n");
            foreach (var level in result.Levels)
                md.Append("| ").Append(Cell(level.Subject)).Append(" | **").Append(Cell(level.Label)).Append("** | ").Append(level.MustPassed).Append(" | ")
                    .Append(level.MustFailed).Append(" | ").Append(level.MustUntested).Append(" | ")
                    .Append(level.ShouldWarnings.Count == 0 ? "" : Cell(string.Join(", ", level.ShouldWarnings))).Append(" |\n");
            md.Append('\n');
        }

        md.Append(string.Join(" · ", VerdictText.All.Where(v => result.Counts.GetValueOrDefault(v) > 0)
            .Select(v => $"{VerdictText.Of(v)} {result.Counts[v]}"))).Append("\n\n");

        var failures = FailureBlock.Of(result).ToList();
        if (failures.Count > 0)
        {
            md.Append("### Failures\n\n");
            foreach (var v in failures)
            {
                var s = v.Scenario;
                md.Append("<details><summary><b>").Append(VerdictText.Of(v.Verdict)).Append("</b> ")
                    .Append(Html(FailureBlock.Requirements(s, report.Catalog))).Append(" · <code>").Append(Html(s.Key)).Append("</code> v").Append(s.ProtocolVersion)
                    .Append(s.Subject == "server" ? "" : $" · {Html(s.Subject)}").Append(" — ").Append(Html(s.Name)).Append("</summary>\n\n");
                // The block as the console prints it, without its first line (the summary line above says it).
                var block = FailureBlock.Format(v, report.Catalog, rerun?.Invoke(s));
                var body = block[(block.IndexOf('\n') is var nl and > 0 ? nl + 1 : block.Length)..];
                md.Append(Fence(body)).Append("\n</details>\n\n");
            }
        }
        return md.ToString();
    }

    /// <summary>Appends the summary to each distinct path (the GitHub step summary file and --summary FILE may be one file).</summary>
    public static IReadOnlyList<string> AppendSummary(string markdown, IEnumerable<string> paths)
    {
        var written = new List<string>();
        foreach (var path in paths.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal))
        {
            if (Path.GetDirectoryName(path) is { Length: > 0 } dir) Directory.CreateDirectory(dir);
            File.AppendAllText(path, markdown, new UTF8Encoding(false));
            written.Add(path);
        }
        return written;
    }

    // Workflow command escaping: https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
    private static string Data(string text) => text.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");
    private static string Property(string text) => Data(text).Replace(":", "%3A").Replace(",", "%2C");

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\r", "").Replace("\n", " ");
    private static string Html(string text) => System.Net.WebUtility.HtmlEncode(text);

    /// <summary>A fenced code block whose fence is longer than any backtick run inside.</summary>
    private static string Fence(string text)
    {
        var longest = 0;
        var run = 0;
        foreach (var c in text) { run = c == '`' ? run + 1 : 0; longest = Math.Max(longest, run); }
        var fence = new string('`', Math.Max(3, longest + 1));
        return $"{fence}text\n{text}\n{fence}\n";
    }
}
