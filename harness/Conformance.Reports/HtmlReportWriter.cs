using System.Globalization;
using System.Net;
using System.Text;

namespace Conformance.Reports;

/// <summary>
/// One self-contained HTML page (inline CSS, no script, no external resources): verdicts by area, the level
/// achieved, and per scenario its requirement texts, steps and wire transcript in a &lt;details&gt; that is open for failures.
/// </summary>
public static class HtmlReportWriter
{
    public static void Write(RunReport report, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, ToHtml(report), new UTF8Encoding(false));
    }

    public static string ToHtml(RunReport report)
    {
        var result = report.Result;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<title>").Append(E(report.Title)).Append("</title><style>").Append(Style).Append("</style></head><body>\n");

        html.Append("<header><h1>").Append(E(report.Title)).Append("</h1>");
        html.Append("<div class=\"gate ").Append(result.Passed ? "ok" : "bad").Append("\"><strong>")
            .Append(result.VerdictLabel).Append("</strong> exit code ").Append(result.ExitCode)
            .Append(" — ").Append(E(result.Reason)).Append("</div>");
        html.Append("<dl class=\"meta\">");
        Meta(html, "Endpoint", $"{report.Run.Endpoint} ({report.Run.EndpointKind})");
        Meta(html, "Protocol", string.Join(", ", report.Run.ProtocolVersions.Select(v => $"v{v}")));
        Meta(html, "Claimed level", $"L{result.Options.ClaimedLevel}" + (result.Options.Strict ? ", strict (SHOULD failures fail the run)" : ""));
        if (report.Run.TagExpression is { Length: > 0 } tags) Meta(html, "Tags", tags);
        if (result.Options.Expectations.SourcePath is { } file)
            Meta(html, "Expectations", $"{file}" + (result.Options.Expectations.Implementation is { } impl ? $" ({impl})" : ""));
        Meta(html, "Started", report.Run.StartedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'zzz", CultureInfo.InvariantCulture));
        Meta(html, "Duration", $"{report.Duration.TotalSeconds:0.0} s");
        if (report.Run.CommandLine is { } cmd) Meta(html, "Command", cmd);
        html.Append("</dl></header>\n");

        html.Append("<section><h2>Level achieved</h2><div class=\"levels\">");
        foreach (var level in result.Levels)
        {
            html.Append("<div class=\"level\"><div class=\"subject\">")
                .Append(E(level.Subject == "server" ? "Server under test" : $"{level.Subject} client")).Append("</div>")
                .Append("<div class=\"label\">").Append(E(level.Label)).Append("</div>");
            if (level.Reached > 0) html.Append("<div class=\"desc\">").Append(E(string.Join(" · ", Enumerable.Range(1, level.Reached).Select(l => $"L{l} {ConformanceLevel.Describe(l)}")))).Append("</div>");
            if (level.Unverified) html.Append("<div class=\"limit\">unverified: ").Append(E(string.Join(", ", level.Untested))).Append(" untested</div>");
            html.Append("<div class=\"desc\">MUST: ").Append(level.MustPassed).Append(" passed, ").Append(level.MustFailed).Append(" failed, ")
                .Append(level.MustUntested).Append(" untested</div>");
            if (level.ShouldWarnings.Count > 0)
                html.Append("<div class=\"limit\">").Append(level.ShouldWarnings.Count).Append(" SHOULD warning(s): ").Append(E(string.Join(", ", level.ShouldWarnings))).Append("</div>");
            if (level.Limit is { } limit) html.Append("<div class=\"limit\">not higher: ").Append(E(limit)).Append("</div>");
            html.Append("</div>");
        }
        if (result.Levels.Count == 0) html.Append("<p>No scenario carried a level tag.</p>");
        html.Append("</div></section>\n");

        html.Append("<section><h2>Verdicts by area</h2><table class=\"areas\"><thead><tr><th>Area</th>");
        foreach (var v in VerdictText.All) html.Append("<th>").Append(VerdictText.Of(v)).Append("</th>");
        html.Append("<th>Requirements passed</th></tr></thead><tbody>");
        foreach (var area in result.AreaSummaries)
        {
            html.Append("<tr><td>").Append(area.Subject == "server" ? "" : E(area.Subject) + " client: ").Append("<a href=\"#area-").Append(E(area.Area)).Append("\">").Append(E(area.Area)).Append("</a> ").Append(E(area.Name)).Append("</td>");
            foreach (var v in VerdictText.All) CountCell(html, v, area.Counts.GetValueOrDefault(v));
            html.Append("<td class=\"num\">").Append(area.RequirementsPassed).Append(" / ").Append(area.RequirementsTotal).Append("</td></tr>");
        }
        html.Append("<tr class=\"total\"><td>Total</td>");
        foreach (var v in VerdictText.All) CountCell(html, v, result.Counts.GetValueOrDefault(v));
        html.Append("<td class=\"num\">").Append(result.Requirements.Count(r => r.Verdict == Verdict.Pass)).Append(" / ").Append(result.Requirements.Count).Append("</td></tr>");
        html.Append("</tbody></table></section>\n");

        if (result.UnexpectedPasses.Count > 0 || result.UnusedExpectations.Count > 0 || result.Scenarios.Any(s => s.ExpectedFailure is not null))
        {
            html.Append("<section><h2>Expectations</h2>");
            var expected = result.Scenarios.Where(s => s.ExpectedFailure is not null).ToList();
            if (expected.Count > 0)
            {
                html.Append("<p>").Append(expected.Count).Append(" expected failure(s), not counted against the run:</p><ul>");
                foreach (var s in expected) html.Append("<li><a href=\"#").Append(Anchor(s.Scenario)).Append("\">").Append(E(s.Scenario.Id)).Append("</a> ").Append(E(s.Scenario.Name)).Append(" — ").Append(E(s.ExpectedFailure!)).Append("</li>");
                html.Append("</ul>");
            }
            if (result.UnexpectedPasses.Count > 0)
            {
                html.Append("<p class=\"unexpected\">Unexpected passes: these entries can be removed from the expectations file:</p><ul>");
                foreach (var (key, reason) in result.UnexpectedPasses) html.Append("<li><code>").Append(E(key)).Append("</code> (").Append(E(reason)).Append(")</li>");
                html.Append("</ul>");
            }
            if (result.UnusedExpectations.Count > 0)
                html.Append("<p>Entries that matched no executed scenario in this selection: <code>").Append(E(string.Join(", ", result.UnusedExpectations))).Append("</code></p>");
            html.Append("</section>\n");
        }

        var failedRequirements = result.Requirements.Where(r => r.Verdict is Verdict.Fail or Verdict.NonStrict).ToList();
        if (failedRequirements.Count > 0)
        {
            html.Append("<section><h2>Requirements not met</h2><table class=\"reqs\"><tbody>");
            foreach (var r in failedRequirements) RequirementRow(html, r);
            html.Append("</tbody></table></section>\n");
        }

        // Failures first, open, so a reader (or a screenshot) sees what broke without scrolling through the passes.
        var failures = result.Scenarios.Where(IsFailure).ToList();
        if (failures.Count > 0)
        {
            html.Append("<section><h2>Failed scenarios</h2>");
            foreach (var v in failures) Scenario(html, v, report.Catalog, open: true, anchorSuffix: "");
            html.Append("</section>\n");
        }

        html.Append("<section><h2>All scenarios</h2>");
        foreach (var area in result.Scenarios.GroupBy(s => Areas.Of(s.Scenario)).OrderBy(g => Areas.Order(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            html.Append("<h3 id=\"area-").Append(E(area.Key)).Append("\">").Append(E(area.Key)).Append(" — ").Append(E(Areas.Name(area.Key))).Append("</h3>");
            foreach (var v in area) Scenario(html, v, report.Catalog, open: false, anchorSuffix: IsFailure(v) ? "-all" : "");
        }
        html.Append("</section>\n");

        html.Append("<section><h2>All requirements in this run</h2><details><summary>").Append(result.Requirements.Count).Append(" requirements</summary><table class=\"reqs\"><tbody>");
        foreach (var r in result.Requirements) RequirementRow(html, r);
        html.Append("</tbody></table></details></section>\n");

        html.Append("<footer>").Append(E(report.Run.Tool)).Append(' ').Append(E(report.Run.ToolVersion))
            .Append(" · JSON schema ").Append(JsonReportWriter.Schema).Append("</footer>\n</body></html>\n");
        return html.ToString();
    }

    /// <summary>Failed checks (MUST or SHOULD, expected or not): shown open at the top of the page.</summary>
    private static bool IsFailure(ScenarioVerdict v) => v.FailsRun || v.Verdict is Verdict.Fail or Verdict.NonStrict;

    private static void Scenario(StringBuilder html, ScenarioVerdict v, RequirementCatalog catalog, bool open, string anchorSuffix)
    {
        var s = v.Scenario;
        html.Append("<details class=\"scenario ").Append(Css(v.Verdict)).Append("\" id=\"").Append(Anchor(s)).Append(anchorSuffix).Append('"').Append(open ? " open" : "").Append("><summary>");
        Badge(html, v.Verdict);
        if (v.ExpectedFailure is not null) html.Append("<span class=\"tag expected\">expected</span>");
        if (v.UnexpectedPassKeys.Count > 0) html.Append("<span class=\"tag unexpected\">unexpected pass</span>");
        html.Append("<span class=\"name\">").Append(E(s.Name)).Append("</span>");
        foreach (var id in s.RequirementIds) html.Append("<span class=\"req\">").Append(E(id)).Append("</span>");
        html.Append("<span class=\"where\">").Append(E(s.Key)).Append(" · v").Append(s.ProtocolVersion);
        if (s.Subject != "server") html.Append(" · ").Append(E(s.Subject));
        if (s.Level is { } level) html.Append(" · L").Append(level);
        html.Append(" · ").Append(s.Duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)).Append(" s</span></summary><div class=\"body\">");

        if (v.Reason is { Length: > 0 } reason && v.Verdict != Verdict.Pass)
            html.Append("<p class=\"reason\">").Append(E(VerdictText.Of(v.Verdict))).Append(": ").Append(E(TranscriptText.FirstLine(reason))).Append("</p>");
        if (v.ExpectedFailure is { } why) html.Append("<p class=\"expected\">Expected failure: ").Append(E(why)).Append("</p>");
        if (v.UnexpectedPassKeys.Count > 0) html.Append("<p class=\"unexpected\">Passed although the expectations file lists ").Append(E(string.Join(", ", v.UnexpectedPassKeys))).Append(".</p>");

        foreach (var id in s.RequirementIds)
        {
            var r = catalog.Find(id);
            html.Append("<div class=\"requirement\"><span class=\"req\">").Append(E(id)).Append("</span> ");
            if (r is null) html.Append("<em>not in spec/requirements.md</em>");
            else html.Append("<strong>").Append(JsonReportWriter.LevelText(r.Level)).Append("</strong> ").Append(E(r.Title))
                .Append("<p>").Append(E(r.Text)).Append("</p>");
            html.Append("</div>");
        }

        if (s.Steps.Count > 0)
        {
            html.Append("<ol class=\"steps\">");
            foreach (var step in s.Steps)
            {
                html.Append("<li class=\"").Append(step.Outcome.ToString().ToLowerInvariant()).Append("\"><span class=\"kw\">").Append(E(step.Keyword.Trim())).Append("</span> ").Append(E(step.Text));
                if (step.Duration > TimeSpan.Zero)
                    html.Append(" <span class=\"dur\">").Append(step.Duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)).Append(" ms</span>");
                if (step.Argument is { Length: > 0 } arg) html.Append("<pre class=\"arg\">").Append(E(arg)).Append("</pre>");
                if (step.Error is { Length: > 0 } err) html.Append("<pre class=\"error\">").Append(E(err)).Append("</pre>");
                if (TranscriptText.ExpectedActual(step) is { } diff) html.Append("<pre class=\"diff\">").Append(E(diff)).Append("</pre>");
                html.Append("</li>");
            }
            html.Append("</ol>");
        }
        else if (s.Error is { Length: > 0 } error) html.Append("<pre class=\"error\">").Append(E(error)).Append("</pre>");

        if (s.Transcript.Count > 0)
        {
            var origin = TranscriptText.Origin(s);
            html.Append("<details class=\"wire\"").Append(open ? " open" : "").Append("><summary>Wire transcript (").Append(s.Transcript.Count).Append(" entries)</summary>");
            html.Append("<table class=\"wire\"><thead><tr><th>+s</th><th>time (UTC)</th><th>actor</th><th></th><th>kind</th><th>data / close</th></tr></thead><tbody>");
            foreach (var e in s.Transcript)
            {
                html.Append("<tr class=\"").Append(e.Direction switch { Direction.Out => "out", Direction.In => "in", _ => "note" }).Append("\"><td class=\"num\">")
                    .Append((e.Timestamp - origin).TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)).Append("</td><td class=\"ts\">")
                    .Append(e.Timestamp.UtcDateTime.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)).Append("</td><td>")
                    .Append(E(e.Actor)).Append("</td><td>").Append(TranscriptText.Arrow(e.Direction)).Append("</td><td>").Append(E(e.Kind)).Append("</td><td><code>");
                if (e.CloseCode is not null || e.Kind == "close")
                    html.Append("code ").Append(e.CloseCode?.ToString(CultureInfo.InvariantCulture) ?? "(none)").Append(", reason '").Append(E(e.CloseReason ?? "")).Append('\'')
                        .Append(string.IsNullOrEmpty(e.Data) ? "" : " " + E(e.Data));
                else html.Append(e.Kind == "text" && string.IsNullOrEmpty(e.Data) ? "''" : E(e.Data ?? ""));
                html.Append("</code></td></tr>");
            }
            html.Append("</tbody></table></details>");
        }
        html.Append("</div></details>\n");
    }

    private static void RequirementRow(StringBuilder html, RequirementVerdict r)
    {
        html.Append("<tr><td>");
        Badge(html, r.Verdict);
        html.Append("</td><td><span class=\"req\">").Append(E(r.Id)).Append("</span></td><td>")
            .Append(r.Requirement is { } q ? JsonReportWriter.LevelText(q.Level) : "MUST?").Append("</td><td>")
            .Append(E(r.Requirement?.Title ?? "(not in spec/requirements.md)"));
        if (r.ExpectedFailure is { } why) html.Append(" <span class=\"tag expected\">expected: ").Append(E(why)).Append("</span>");
        html.Append("</td></tr>");
    }

    private static void Badge(StringBuilder html, Verdict verdict) =>
        html.Append("<span class=\"badge ").Append(Css(verdict)).Append("\">").Append(VerdictText.Of(verdict)).Append("</span>");

    private static void CountCell(StringBuilder html, Verdict verdict, int count) =>
        html.Append("<td class=\"num").Append(count > 0 ? " " + Css(verdict) : "").Append("\">").Append(count).Append("</td>");

    private static void Meta(StringBuilder html, string name, string value) =>
        html.Append("<dt>").Append(E(name)).Append("</dt><dd>").Append(E(value)).Append("</dd>");

    private static string Anchor(ScenarioRecord s) =>
        "s-" + new string(s.Id.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());

    private static string Css(Verdict v) => v switch
    {
        Verdict.Pass => "pass",
        Verdict.Fail => "fail",
        Verdict.NonStrict => "nonstrict",
        Verdict.Informational => "info",
        Verdict.Unimplemented => "unimpl",
        _ => "skipped",
    };

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private const string Style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1200px;padding:16px 24px;color:#1d2330;background:#fafbfc}
        h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:24px 0 8px;border-bottom:1px solid #dde1e7;padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
        .gate{padding:10px 14px;border-radius:6px;font-size:15px;margin:8px 0}.gate.ok{background:#e3f5e8;border:1px solid #7cc792}.gate.bad{background:#fde7e7;border:1px solid #e58a8a}
        dl.meta{display:grid;grid-template-columns:max-content 1fr max-content 1fr;gap:2px 14px;margin:8px 0;color:#4a5262}dl.meta dt{font-weight:600}dl.meta dd{margin:0;word-break:break-all}
        .levels{display:flex;flex-wrap:wrap;gap:12px}.level{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:10px 16px;min-width:220px}
        .level .subject{color:#4a5262;font-size:12px;text-transform:uppercase;letter-spacing:.04em}.level .label{font-size:26px;font-weight:700}.level .desc{font-size:12px;color:#4a5262}.level .limit{font-size:12px;color:#9a3412;margin-top:4px}
        table{border-collapse:collapse;background:#fff}th,td{border:1px solid #dde1e7;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f0f2f5;font-weight:600}
        td.num{text-align:right;font-variant-numeric:tabular-nums}tr.total td{font-weight:700}
        td.pass{background:#e3f5e8}td.fail{background:#fde7e7}td.nonstrict{background:#fff1dc}td.info{background:#e6effc}td.unimpl{background:#efeff1}td.skipped{background:#f5f0e6}
        .badge{display:inline-block;min-width:92px;text-align:center;font-size:11px;font-weight:700;border-radius:4px;padding:1px 6px;margin-right:8px;color:#fff}
        .badge.pass{background:#2f8f4e}.badge.fail{background:#c53030}.badge.nonstrict{background:#d97706}.badge.info{background:#3b6fb6}.badge.unimpl{background:#7c8190}.badge.skipped{background:#a08a5c}
        .req{font-family:ui-monospace,Consolas,monospace;font-size:12px;background:#eef1f6;border-radius:3px;padding:0 4px;margin-left:6px}
        .tag{font-size:11px;border-radius:3px;padding:0 5px;margin-right:6px}.tag.expected{background:#fff1dc;color:#7a4a00}.tag.unexpected{background:#e6effc;color:#1e3a8a}
        details.scenario{background:#fff;border:1px solid #dde1e7;border-left:4px solid #7c8190;border-radius:4px;margin:4px 0}
        details.scenario.pass{border-left-color:#2f8f4e}details.scenario.fail{border-left-color:#c53030}details.scenario.nonstrict{border-left-color:#d97706}details.scenario.info{border-left-color:#3b6fb6}
        details.scenario>summary{cursor:pointer;padding:6px 10px}details.scenario .name{font-weight:600}details.scenario .where{color:#6b7280;font-size:12px;margin-left:10px}
        .body{padding:4px 14px 12px}.requirement{background:#f7f8fa;border:1px solid #e5e8ed;border-radius:4px;padding:6px 10px;margin:6px 0}.requirement .req{margin-left:0}.requirement p{margin:4px 0 0}
        p.reason{color:#9b1c1c;font-weight:600}p.expected{color:#7a4a00}p.unexpected{color:#1e3a8a}
        ol.steps{padding-left:22px;margin:6px 0}ol.steps li{margin:2px 0}ol.steps li.failed{color:#9b1c1c;font-weight:600}ol.steps li.skipped,ol.steps li.notrun{color:#8a8f9a}
        .kw{font-weight:700;color:#5b21b6}.dur{color:#8a8f9a;font-size:11px}
        pre{white-space:pre-wrap;word-break:break-word;font:12px/1.4 ui-monospace,Consolas,monospace;margin:4px 0;padding:6px 8px;border-radius:4px}pre.error{background:#fde7e7;color:#7f1d1d}pre.arg{background:#f3f4f6}pre.diff{background:#fff7ed;color:#1d2330;border-left:3px solid #d97706}
        details.wire>summary{cursor:pointer;color:#374151;margin:6px 0}table.wire{width:100%;font:12px/1.35 ui-monospace,Consolas,monospace}table.wire td{padding:2px 6px}table.wire code{white-space:pre-wrap;word-break:break-all}
        table.wire tr.out td{background:#f3f7ff}table.wire tr.in td{background:#f6fbf4}table.wire tr.note td{color:#6b7280;font-style:italic}table.wire td.ts{color:#6b7280;white-space:nowrap}
        footer{margin:28px 0 8px;color:#8a8f9a;font-size:12px}a{color:#1d4ed8}
        """;
}
