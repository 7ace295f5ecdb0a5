using Conformance.Reports;

namespace Conformance.Cli;

/// <summary>
/// The end-of-run output made for CI logs (issue 10 §7, docs/ci-gate.md "Output in CI logs"): each failure as a
/// block, GitHub Actions annotations and job summary (GITHUB_ACTIONS=true), the --summary file.
/// </summary>
public static class CiOutput
{
    /// <summary>
    /// How the re-run command starts: the installed tool's command when the gate runs on its bundled suite, else the
    /// README's way of running the gate from a clone.
    /// </summary>
    public static string CommandPrefix => JsHosts.SuiteRoot.IsBundled ? "socketcluster-conformance" : "dotnet run --project harness/Conformance.Cli --";

    /// <summary>
    /// A command that re-runs exactly this scenario case at its protocol version against the same target, with the same
    /// client under test (a built-in driver through --clients, an adapter through its --client NAME=COMMAND) and the same
    /// known-good server. Options that only judge (--level, --strict, --expectations) are left out: the point is to see
    /// the failure again.
    /// </summary>
    public static string Rerun(GateSettings settings, ScenarioRecord scenario)
    {
        var args = new List<string>();
        if (settings.Endpoint is { } endpoint) args.Add($"--endpoint {endpoint}");
        if (settings.LegacyV14) args.Add("--legacy v14");
        else if (scenario.ProtocolVersion != 2) args.Add($"--protocol {scenario.ProtocolVersion}");
        args.Add($"--scenario {scenario.Location}");
        if (scenario.Client is { } client)
        {
            if (settings.ClientAdapters.FirstOrDefault(a => a.Name == client) is { } adapter)
                args.Add($"--client {ShellQuote($"{adapter.Name}={adapter.Command}")}");
            else args.Add($"--clients {client}");
        }
        if (settings.KnownGood is { } knownGood && scenario.Client is not null)
            args.Add($"--known-good {knownGood.ToString().ToLowerInvariant()}");
        return $"{CommandPrefix} {string.Join(' ', args)}";
    }

    /// <summary>One POSIX shell word: as it is when it holds nothing a shell would read, else in single quotes.</summary>
    internal static string ShellQuote(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '=' or ':' or ',' or '+' or '@')
            ? text
            : "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Writes failure blocks and, on GitHub Actions, annotations; appends the Markdown summary where asked.</summary>
    /// <param name="environment">Environment lookup (GITHUB_ACTIONS, GITHUB_STEP_SUMMARY); tests pass their own.</param>
    /// <returns>The summary files written.</returns>
    public static IReadOnlyList<string> Write(RunReport report, GateSettings settings, TextWriter output, Func<string, string?> environment)
    {
        var result = report.Result;
        var failures = FailureBlock.Of(result).ToList();
        if (failures.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"{failures.Count} failure(s):");
            foreach (var v in failures)
            {
                output.WriteLine();
                output.WriteLine(FailureBlock.Format(v, report.Catalog, Rerun(settings, v.Scenario)));
            }
        }

        var gitHub = environment("GITHUB_ACTIONS") == "true";
        if (gitHub)
            foreach (var line in GitHubOutput.Annotations(result, report.Catalog)) output.WriteLine(line);

        var summaries = new List<string>();
        if (gitHub && environment("GITHUB_STEP_SUMMARY") is { Length: > 0 } stepSummary) summaries.Add(stepSummary);
        if (settings.SummaryPath is { } path) summaries.Add(path);
        if (summaries.Count == 0) return [];
        return GitHubOutput.AppendSummary(GitHubOutput.Markdown(report, s => Rerun(settings, s)), summaries);
    }
}
