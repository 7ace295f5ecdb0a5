using System.Text.Json;
using System.Xml.Linq;
using Conformance.Reports;
using Xunit;
using static Conformance.Cli.Tests.Synthetic;

namespace Conformance.Cli.Tests.Unit;

public sealed class WriterTests
{
    /// <summary>The report's HTML from a scenario's details opening tag to its closing tag (the tag must be there).</summary>
    private static string DetailsSection(string html, string openingTag)
    {
        var start = html.IndexOf(openingTag, StringComparison.Ordinal);
        Assert.True(start > 0, $"missing: {openingTag}");
        return html[start..html.IndexOf("</details>\n", start, StringComparison.Ordinal)];
    }

    private static RunReport MixedReport()
    {
        var expectations = Expectations.Parse("""{"implementation":"demo","expectedFailures":{"features/x.feature:4":"known"}}""", "exp.json");
        var failing = Scenario("features/e.feature:9", Outcome.Failed, "server", "v2", "L1", "EV-001") with
        {
            Transcript = [new WireEntry(T0, "A", Direction.In, "text", "<script>alert(1)</script>\u0001")],
        };
        return Report(Evaluate([
            Scenario("features/a.feature:3", Outcome.Passed, "server", "v2", "L1", "HS-001"),
            failing,
            Scenario("features/a.feature:12", Outcome.Failed, "server", "v2", "L1", "HS-002"),
            Scenario("features/x.feature:4", Outcome.Failed, "server", "v2", "L1", "HS-001"),
            Scenario("features/p.feature:3", Outcome.Skipped, "server", "v2", "L3", "PS-001"),
        ], new GateOptions { Expectations = expectations }));
    }

    [Fact]
    public void JUnit_has_one_testcase_per_scenario_with_requirement_properties_and_failures_only_for_run_failures()
    {
        var xml = XDocument.Parse(JUnitWriter.ToXml(MixedReport()));
        var root = xml.Root!;
        Assert.Equal("testsuites", root.Name.LocalName);
        Assert.Equal("5", root.Attribute("tests")!.Value);
        Assert.Equal("1", root.Attribute("failures")!.Value);
        var cases = xml.Descendants("testcase").ToList();
        Assert.Equal(5, cases.Count);

        var failed = cases.Single(c => c.Elements("failure").Any());
        Assert.Equal("features/e.feature", failed.Attribute("file")!.Value);
        Assert.Equal("9", failed.Attribute("line")!.Value);
        Assert.Contains(failed.Descendants("property"), p => p.Attribute("name")!.Value == "requirement" && p.Attribute("value")!.Value == "EV-001");
        Assert.Contains(failed.Descendants("property"), p => p.Attribute("name")!.Value == "verdict" && p.Attribute("value")!.Value == "FAIL");
        Assert.StartsWith("FAIL EV-001: Step failed", failed.Element("failure")!.Attribute("message")!.Value);
        var output = failed.Element("system-out")!.Value;
        Assert.Contains("Wire transcript:", output);
        Assert.Contains("<script>", output); // escaped by XML, intact as text
        Assert.Contains("\\u0001", output);  // control characters are made visible, not dropped

        var nonStrict = cases.Single(c => c.Attribute("line")!.Value == "12");
        Assert.Empty(nonStrict.Elements("failure"));
        Assert.Contains("Not counted against the run", nonStrict.Element("system-out")!.Value);

        var expected = cases.Single(c => c.Attribute("line")!.Value == "4");
        Assert.Contains("expected failure", expected.Element("skipped")!.Attribute("message")!.Value);
        Assert.Contains("SKIPPED: fixture-app contract not offered", cases.Single(c => c.Attribute("file")!.Value == "features/p.feature").Element("skipped")!.Attribute("message")!.Value);
    }

    [Fact]
    public void Json_follows_the_documented_schema()
    {
        using var doc = JsonDocument.Parse(JsonReportWriter.ToJson(MixedReport()));
        var root = doc.RootElement;
        Assert.Equal(JsonReportWriter.Schema, root.GetProperty("schema").GetString());
        Assert.Equal("demo", root.GetProperty("run").GetProperty("implementation").GetString());
        Assert.Equal("L4", root.GetProperty("run").GetProperty("claimedLevel").GetString());
        var summary = root.GetProperty("summary");
        Assert.False(summary.GetProperty("passed").GetBoolean());
        Assert.Equal(1, summary.GetProperty("exitCode").GetInt32());
        Assert.Equal(1, summary.GetProperty("counts").GetProperty("FAIL").GetInt32() - 1); // one expected FAIL, one unexpected
        Assert.Equal(1, summary.GetProperty("counts").GetProperty("NON-STRICT").GetInt32());
        Assert.Equal("none @ v2", summary.GetProperty("levels")[0].GetProperty("label").GetString());
        Assert.Equal(1, summary.GetProperty("expectedFailures").GetInt32());

        var ev = root.GetProperty("requirements").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "EV-001");
        Assert.Equal("FAIL", ev.GetProperty("verdict").GetString());
        Assert.Equal("MUST", ev.GetProperty("level").GetString());
        Assert.Equal("Every invoke MUST get a response with the same rid.", ev.GetProperty("text").GetString());

        var scenario = root.GetProperty("scenarios").EnumerateArray().Single(s => s.GetProperty("key").GetString() == "features/a.feature:3");
        Assert.Equal("features/a.feature:3@v2", scenario.GetProperty("id").GetString());
        Assert.Equal("PASS", scenario.GetProperty("verdict").GetString());
        Assert.Equal("passed", scenario.GetProperty("outcome").GetString());
        Assert.Equal(2, scenario.GetProperty("steps").GetArrayLength());
        var close = scenario.GetProperty("transcript").EnumerateArray().Last();
        Assert.Equal("close", close.GetProperty("kind").GetString());
        Assert.Equal(4008, close.GetProperty("closeCode").GetInt32());
        Assert.Equal("Server rejected handshake", close.GetProperty("closeReason").GetString());
        Assert.Equal(90, close.GetProperty("offsetMs").GetDouble());
        Assert.Equal("note", scenario.GetProperty("transcript")[0].GetProperty("direction").GetString());
    }

    [Fact]
    public void Html_is_self_contained_escaped_and_opens_failures()
    {
        var html = HtmlReportWriter.ToHtml(MixedReport());
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("href=\"http", html);
        Assert.Contains("none @ v2", html);
        Assert.Contains("Verdicts by area", html);
        // The failing scenario's details are open, with its requirement text, steps and transcript.
        var section = DetailsSection(html, "id=\"s-features-e-feature-9-v2\" open>");
        Assert.Contains("EV-001", section);
        Assert.Contains("Every invoke MUST get a response with the same rid.", section);
        Assert.Contains("<details class=\"wire\" open>", section);
        // A passing scenario is collapsed; its transcript shows the close code and reason.
        var passed = DetailsSection(html, "id=\"s-features-a-feature-3-v2\">");
        Assert.Contains("code 4008, reason 'Server rejected handshake'", passed);
        Assert.Contains("<td><code>''</code></td>", passed); // the empty ping frame is visible
        Assert.Contains("Expected failure: known", html);
        // Failures come first (open) and again, closed, in the list of all scenarios: anchors stay unique.
        Assert.True(html.IndexOf("<h2>Failed scenarios</h2>", StringComparison.Ordinal) < html.IndexOf("<h2>All scenarios</h2>", StringComparison.Ordinal));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "id=\"s-features-e-feature-9-v2\""));
        Assert.Contains("id=\"s-features-e-feature-9-v2-all\">", html);
    }

    [Fact]
    public void Each_client_case_of_a_row_has_its_own_anchor_testcase_and_json_key()
    {
        // Two adapters on the same row: the case keys name the client, so nothing is shared (issue 11 §2).
        var report = Report(Evaluate([
            Scenario("features/c.feature:3 [client=js]", Outcome.Passed, "client", "v2", "L2", "RC-001") with { Subject = "js" },
            Scenario("features/c.feature:3 [client=cs]", Outcome.Failed, "client", "v2", "L2", "RC-001") with { Subject = "cs" },
        ]));
        var html = HtmlReportWriter.ToHtml(report);
        Assert.Contains("id=\"s-features-c-feature-3--client-js--v2\">", html);
        Assert.Contains("id=\"s-features-c-feature-3--client-cs--v2\" open>", html);
        var cases = XDocument.Parse(JUnitWriter.ToXml(report)).Descendants("testcase").ToList();
        Assert.Equal(2, cases.Select(c => c.Attribute("name")!.Value).Distinct().Count());
        Assert.All(cases, c => Assert.Equal("3", c.Attribute("line")!.Value));
        var keys = JsonDocument.Parse(JsonReportWriter.ToJson(report)).RootElement.GetProperty("scenarios").EnumerateArray()
            .Select(s => s.GetProperty("key").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(["features/c.feature:3 [client=cs]", "features/c.feature:3 [client=js]"], keys);
    }

    [Fact]
    public void ReportSet_writes_the_three_reports_and_the_badge()
    {
        var dir = Directory.CreateTempSubdirectory("cli-reports-").FullName;
        try
        {
            var paths = ReportSet.Write(MixedReport(), Path.Combine(dir, "out"));
            Assert.Equal(["junit.xml", "report.json", "report.html", "badge.json"], paths.Select(Path.GetFileName));
            Assert.All(paths.Take(3), p => Assert.True(new FileInfo(p).Length > 200));
            Assert.Contains("\"schemaVersion\": 1", File.ReadAllText(paths[3]));
        }
        finally { Directory.Delete(dir, true); }
    }
}
