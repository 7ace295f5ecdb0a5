using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Conformance.Mutants;
using Xunit;

namespace Conformance.Cli.Tests.EndToEnd;

/// <summary>
/// The gate as CI runs it: a child process, its exit code and its reports, against the official Node server, the same
/// server behind a mutation proxy that breaks HS-002 (the handshake response loses pingTimeout), an unreachable port
/// and the embedded C# sample. Selections are small tag expressions so the tests stay fast.
/// </summary>
public sealed partial class GateProcessTests(OfficialServerFixture official) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-e2e-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [GeneratedRegex(@"Verified level, Server under test: ((?:none|L[1-4]) @ v2(?: unverified)?)")]
    private static partial Regex LevelLine();

    [Fact]
    public async Task Against_the_official_server_it_exits_0_and_reports_the_measured_level()
    {
        var endpoint = await official.EndpointAsync();
        var run = await CliProcess.RunAsync("--endpoint", endpoint.ToString(), "--tags", "@L1 and @v2 and @server and not @slow", "--report", _dir);

        Assert.True(run.ExitCode == 0, run.ToString());
        var level = LevelLine().Match(run.Stdout);
        Assert.True(level.Success, run.ToString());
        Assert.Contains("PASSED (exit code 0)", run.Stdout);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "report.json")));
        var summary = json.RootElement.GetProperty("summary");
        Assert.Equal(0, summary.GetProperty("exitCode").GetInt32());
        Assert.Equal(0, summary.GetProperty("counts").GetProperty("FAIL").GetInt32());
        Assert.True(summary.GetProperty("counts").GetProperty("PASS").GetInt32() > 0, run.ToString());
        Assert.Equal(level.Groups[1].Value, summary.GetProperty("levels")[0].GetProperty("label").GetString());
        Assert.Equal(endpoint.ToString(), json.RootElement.GetProperty("run").GetProperty("endpoint").GetString());
        Assert.NotEmpty(XDocument.Load(Path.Combine(_dir, "junit.xml")).Descendants("testcase"));
    }

    [Fact]
    public async Task Against_a_broken_server_it_exits_1_and_the_failing_requirement_is_in_the_JUnit_and_HTML_reports()
    {
        await using var proxy = await MutationProxy.StartAsync(await official.BaseUriAsync(), MutationCatalog.Get("handshake-missing-pingTimeout"), TestContext.Current.CancellationToken);
        var run = await CliProcess.RunAsync("--endpoint", proxy.EndpointUri.ToString(), "--tags", "@HS-002 and @v2 and @server", "--report", _dir);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("FAILED (exit code 1)", run.Stdout);
        Assert.Contains("HS-002", run.Stdout);

        var failures = XDocument.Load(Path.Combine(_dir, "junit.xml")).Descendants("failure").ToList();
        Assert.NotEmpty(failures);
        Assert.Contains(failures, f => f.Attribute("message")!.Value.StartsWith("FAIL HS-002", StringComparison.Ordinal));
        Assert.Contains(failures.Select(f => f.Parent!), c => c.Descendants("property").Any(p =>
            p.Attribute("name")!.Value == "requirement" && p.Attribute("value")!.Value == "HS-002"));

        var html = File.ReadAllText(Path.Combine(_dir, "report.html"));
        var open = Regex.Match(html, "<details class=\"scenario fail\" id=\"[^\"]+\" open><summary><span class=\"badge fail\">FAIL</span>.*?</details>\n", RegexOptions.Singleline);
        Assert.True(open.Success, "no open FAIL scenario in the HTML report");
        Assert.Contains("<span class=\"req\">HS-002</span>", open.Value);
        Assert.Contains("pingTimeout", open.Value); // the requirement text and the transcript of the failing handshake
        Assert.Contains("<details class=\"wire\" open>", open.Value);
    }

    [Fact]
    public async Task An_expectations_file_turns_that_1_into_0_only_for_what_it_names()
    {
        // The mutant breaks features/Handshake/Handshake.feature:8, which checks HS-002 and HS-003: an entry for HS-002
        // excuses HS-002 only, so that scenario still fails the run for HS-003 (issue 10 §3).
        var expectations = Path.Combine(_dir, "expectations.json");
        File.WriteAllText(expectations, """
            {
              "implementation": "official server behind handshake-missing-pingTimeout",
              "expectedFailures": { "HS-002": "the handshake response has no pingTimeout" }
            }
            """);
        await using var proxy = await MutationProxy.StartAsync(await official.BaseUriAsync(), MutationCatalog.Get("handshake-missing-pingTimeout"), TestContext.Current.CancellationToken);
        string[] args = ["--endpoint", proxy.EndpointUri.ToString(), "--tags", "@HS-002 and @v2 and @server", "--expectations", expectations, "--junit", Path.Combine(_dir, "j.xml")];
        var partial = await CliProcess.RunAsync(args);
        Assert.True(partial.ExitCode == 1, partial.ToString());
        Assert.Contains("1 scenario(s) failed: HS-003", partial.Stdout);
        var scenario = Regex.Match(partial.Stdout, @"FAIL HS-002,HS-003 (features/\S+?)@v2");
        Assert.True(scenario.Success, partial.ToString());

        File.WriteAllText(expectations, $$"""
            {
              "implementation": "official server behind handshake-missing-pingTimeout",
              "expectedFailures": {
                "HS-002": "the handshake response has no pingTimeout",
                "{{scenario.Groups[1].Value}}": "this scenario checks pingTimeout in the handshake response"
              }
            }
            """);
        var run = await CliProcess.RunAsync(args);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("expected failure(s)", run.Stdout);
        var junit = XDocument.Load(Path.Combine(_dir, "j.xml"));
        Assert.Empty(junit.Descendants("failure"));
        Assert.Contains(junit.Descendants("skipped"), s => s.Attribute("message")!.Value.Contains("the handshake response has no pingTimeout"));
    }

    [Fact]
    public async Task An_unreachable_endpoint_exits_2_with_a_one_line_reason()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now

        var run = await CliProcess.RunAsync("--endpoint", $"ws://127.0.0.1:{port}/socketcluster/", "--report", _dir);
        Assert.True(run.ExitCode == 2, run.ToString());
        var reason = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"endpoint ws://127.0.0.1:{port}/socketcluster/ is unreachable", reason);
        Assert.False(File.Exists(Path.Combine(_dir, "report.json")));
    }

    [Fact]
    public async Task A_usage_error_exits_2()
    {
        var run = await CliProcess.RunAsync("--level", "L7");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--level must be L1, L2, L3 or L4", run.Stderr);
    }

    [Fact]
    public async Task Without_an_endpoint_it_runs_against_the_embedded_CSharp_sample()
    {
        var run = await CliProcess.RunAsync("--tags", "@HS-002 and @v2 and @server", "--report", _dir);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("(embedded C# reference sample)", run.Stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "report.json")));
        Assert.Equal("embedded", json.RootElement.GetProperty("run").GetProperty("endpointKind").GetString());
        Assert.True(json.RootElement.GetProperty("summary").GetProperty("counts").GetProperty("PASS").GetInt32() > 0, run.ToString());
    }
}
