using System.Text.Json;
using Conformance.Engine.Catalog;
using Conformance.Engine.Running;
using Conformance.Reports;
using Spectre.Console.Testing;
using Xunit;
using static Conformance.Cli.Tests.Synthetic;

namespace Conformance.Cli.Tests.Unit;

/// <summary>Output made for CI logs (issue 10 §7): expected/actual, failure blocks, GitHub annotations and summary, badge.</summary>
public sealed class CiOutputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-ci-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private const string Pattern = "{\"rid\":1,\"data\":{\"id\":\"$any\"}}";

    /// <summary>A failed HS-001 row whose failed step (line 15) expected a frame and got two others and a close.</summary>
    private static ScenarioRecord FailedWithDiff() => Scenario("features/Handshake/h.feature:12", Outcome.Failed, "server", "v2", "L1", "HS-001") with
    {
        Steps =
        [
            new StepRecord("Given", "raw connection A has completed the handshake", Outcome.Passed, TimeSpan.Zero, Line: 13),
            new StepRecord("Then", $"A receives '{Pattern}'", Outcome.Failed, TimeSpan.Zero,
                "A received no frame matching the pattern within 5 s.\n Frames after the cursor (2): …", Line: 15,
                Expected: Pattern, Actual: ["{\"rid\":1,\"error\":{\"name\":\"X\"}}", "{\"event\":\"#kickOut\"}", "close 4008 'bye'"]),
            new StepRecord("And", "A is still open", Outcome.NotRun, TimeSpan.Zero, Line: 16),
        ],
    };

    private static RunReport FailingReport() => Report(Evaluate([
        Scenario("features/a.feature:3", Outcome.Passed, "server", "v2", "L1", "HS-001"),
        FailedWithDiff(),
        Scenario("features/a.feature:20", Outcome.Failed, "server", "v2", "L1", "HS-002"), // SHOULD: a warning
    ]));

    [Fact]
    public void The_engine_assertion_carries_expected_and_actual_into_the_failed_step()
    {
        var scenario = FeatureCatalog.Compile("""
            @server @v2
            Feature: Demo

              @L1 @HS-001
              Scenario: Answered
                Given raw connection A is open
                Then A receives '{"rid":1}'
            """, "features/demo.feature", "")[0];
        var error = new ConformanceAssertionException("A received no frame matching {\"rid\":1}") { Expected = "{\"rid\":1}", Actual = ["{\"rid\":2}"] };
        var result = new ScenarioResult
        {
            Id = scenario.Id, DisplayName = scenario.DisplayName, Status = ScenarioStatus.Failed, Tags = scenario.Tags,
            FailingStep = "Then A receives '{\"rid\":1}'", FailingLocation = "features/demo.feature:7", Message = error.Message, Exception = error,
        };
        var record = EngineResultMapper.ToRecord(scenario, result, 2, T0);
        var failed = Assert.Single(record.Steps, s => s.Outcome == Outcome.Failed);
        Assert.Equal((7, "{\"rid\":1}"), (failed.Line, failed.Expected));
        Assert.Equal(["{\"rid\":2}"], failed.Actual);
        Assert.Equal("features/demo.feature:7", record.FailureLocation);
        Assert.Null(record.Steps[0].Expected);
    }

    [Fact]
    public void Json_carries_expected_and_actual_per_failed_step()
    {
        using var doc = JsonDocument.Parse(JsonReportWriter.ToJson(FailingReport()));
        var steps = doc.RootElement.GetProperty("scenarios").EnumerateArray()
            .Single(s => s.GetProperty("key").GetString() == "features/Handshake/h.feature:12").GetProperty("steps");
        var failed = steps[1];
        Assert.Equal(15, failed.GetProperty("line").GetInt32());
        Assert.Equal(Pattern, failed.GetProperty("expected").GetString());
        Assert.Equal(["{\"rid\":1,\"error\":{\"name\":\"X\"}}", "{\"event\":\"#kickOut\"}", "close 4008 'bye'"],
            failed.GetProperty("actual").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(JsonValueKind.Null, steps[0].GetProperty("expected").ValueKind);
        Assert.Equal(JsonValueKind.Null, steps[0].GetProperty("actual").ValueKind);
    }

    [Fact]
    public void Html_and_junit_show_the_same_expected_vs_actual_text()
    {
        var report = FailingReport();
        var diff = TranscriptText.ExpectedActual(FailedWithDiff().Steps[1])!;
        Assert.Equal($"expected: {Pattern}\nactual (3):\n  {{\"rid\":1,\"error\":{{\"name\":\"X\"}}}}\n  {{\"event\":\"#kickOut\"}}\n  close 4008 'bye'", diff);
        Assert.Contains("<pre class=\"diff\">" + System.Net.WebUtility.HtmlEncode(diff) + "</pre>", HtmlReportWriter.ToHtml(report));
        Assert.Contains("      expected: " + Pattern, JUnitWriter.ToXml(report).Replace("&quot;", "\""));
    }

    [Fact]
    public void Nothing_arrived_is_said_so()
    {
        var step = new StepRecord("Then", "A receives '{}'", Outcome.Failed, TimeSpan.Zero, Expected: "{}", Actual: []);
        Assert.Equal("expected: {}\nactual:   nothing arrived", TranscriptText.ExpectedActual(step));
        Assert.Null(TranscriptText.ExpectedActual(step with { Expected = null, Actual = null }));
    }

    [Fact]
    public void A_failure_block_has_requirements_step_location_expected_actual_transcript_tail_and_rerun()
    {
        var report = FailingReport();
        var verdict = report.Result.Scenarios.Single(s => s.Scenario.Key == "features/Handshake/h.feature:12");
        var settings = new GateSettings { Endpoint = new Uri("ws://127.0.0.1:9/socketcluster/") };
        var block = FailureBlock.Format(verdict, report.Catalog, CiOutput.Rerun(settings, verdict.Scenario));
        var lines = block.Split('\n');
        Assert.Equal("FAIL HS-001 (MUST, L1) · server · v2 · features/Handshake/h.feature:12", lines[0]);
        Assert.Contains($"  Step:     Then A receives '{Pattern}'  (features/Handshake/h.feature:15)", lines);
        Assert.Contains("  Error:    A received no frame matching the pattern within 5 s.", lines); // first line only: the frames follow as actual
        Assert.DoesNotContain("Frames after the cursor", block);
        Assert.Contains("  expected: " + Pattern, lines);
        Assert.Contains("    close 4008 'bye'", lines);
        Assert.Contains("  Wire transcript:", lines);
        Assert.Contains("    +0.090s A ← close 4008 'Server rejected handshake'", lines);
        Assert.Equal("  Re-run:   dotnet run --project harness/Conformance.Cli -- --endpoint ws://127.0.0.1:9/socketcluster/ --scenario features/Handshake/h.feature:12", lines[^1]);
    }

    [Fact]
    public void The_transcript_tail_is_the_last_lines_and_says_how_many_were_left_out()
    {
        var many = Enumerable.Range(0, 30).Select(i => new WireEntry(T0.AddMilliseconds(i), "A", Direction.In, "text", $"frame {i}")).ToList();
        var report = Report(Evaluate([FailedWithDiff() with { Transcript = many }]));
        var block = FailureBlock.Format(report.Result.Scenarios[0], report.Catalog, null);
        Assert.Contains($"  Wire transcript (last {FailureBlock.TranscriptTail} of 30):", block);
        Assert.Contains("frame 29", block);
        Assert.DoesNotContain("frame 17\n", block);
        Assert.Contains("frame 18\n", block);
        Assert.DoesNotContain("Re-run", block);
    }

    [Fact]
    public void Without_expected_and_actual_the_whole_error_is_shown()
    {
        var report = Report(Evaluate([Scenario("features/e.feature:9", Outcome.Failed, "server", "v2", "L1", "EV-001")]));
        var block = FailureBlock.Format(report.Result.Scenarios[0], report.Catalog, null);
        Assert.Contains("  Step:     Then A receives '{\"rid\":1}'  (features/e.feature:9)", block); // no step line: the scenario's
        Assert.Contains("  Error:    no frame matched", block);
    }

    [Theory]
    [InlineData(2, false, "--scenario features/x.feature:4")]
    [InlineData(1, false, "--protocol 1 --scenario features/x.feature:4")]
    [InlineData(1, true, "--legacy v14 --scenario features/x.feature:4")]
    public void The_rerun_command_keeps_the_target_and_the_version(int version, bool legacy, string tail)
    {
        var settings = new GateSettings { Endpoint = new Uri("ws://h:1/socketcluster/"), LegacyV14 = legacy };
        var scenario = Scenario("features/x.feature:4", Outcome.Failed, "server", "v2") with { ProtocolVersion = version };
        Assert.Equal($"dotnet run --project harness/Conformance.Cli -- --endpoint ws://h:1/socketcluster/ {tail}", CiOutput.Rerun(settings, scenario));
        Assert.Equal("dotnet run --project harness/Conformance.Cli -- --scenario features/x.feature:4", CiOutput.Rerun(new GateSettings(), scenario with { ProtocolVersion = 2 }));
    }

    [Fact]
    public void The_rerun_command_of_a_client_case_names_its_client_and_known_good_server()
    {
        var scenario = Scenario("features/c.feature:4 [client=chromium]", Outcome.Failed, "client", "v2") with { Subject = "chromium" };
        Assert.Equal("dotnet run --project harness/Conformance.Cli -- --scenario features/c.feature:4 --clients chromium",
            CiOutput.Rerun(new GateSettings(), scenario));
        Assert.Equal("dotnet run --project harness/Conformance.Cli -- --scenario features/c.feature:4 --clients chromium --known-good official",
            CiOutput.Rerun(new GateSettings { KnownGood = Engine.Support.KnownGoodServerKind.Official }, scenario));
        // An adapter's case: its --client option again, quoted for a POSIX shell.
        var adapter = Engine.Drivers.Adapters.ClientAdapterSpec.Parse("mine=python3 'my adapter.py'");
        Assert.Equal("""dotnet run --project harness/Conformance.Cli -- --protocol 1 --scenario features/c.feature:4 --client 'mine=python3 '\''my adapter.py'\'''""",
            CiOutput.Rerun(new GateSettings { ClientAdapters = [adapter] }, scenario with { Key = "features/c.feature:4 [client=mine]", Subject = "mine", ProtocolVersion = 1 }));
    }

    [Fact]
    public void GitHub_annotations_point_at_the_failing_step_and_escape_the_message()
    {
        var annotations = GitHubOutput.Annotations(FailingReport().Result, Catalog);
        Assert.Equal(2, annotations.Count);
        var error = annotations[0];
        Assert.StartsWith("::error file=features/Handshake/h.feature,line=15,title=FAIL HS-001 (MUST%2C L1)::features/Handshake/h.feature:12 v2 ", error);
        Assert.Contains("%0AThen A receives", error);
        Assert.Contains("%0Aexpected: " + Pattern, error);
        Assert.DoesNotContain('\n', error);
        // The SHOULD failure does not fail the run: a warning, at the scenario line when no step line is known.
        Assert.StartsWith("::warning file=features/a.feature,line=20,title=NON-STRICT HS-002 (SHOULD%2C L1)::", annotations[1]);
        // With --strict it fails the run: an error.
        var strict = Evaluate(FailingReport().Result.Scenarios.Select(v => v.Scenario), new GateOptions { Strict = true });
        Assert.StartsWith("::error file=features/a.feature,line=20,title=NON-STRICT HS-002", GitHubOutput.Annotations(strict, Catalog)[1]);
    }

    [Fact]
    public void The_markdown_summary_has_the_verdict_levels_counts_and_each_failure()
    {
        var md = GitHubOutput.Markdown(FailingReport(), s => "rerun " + s.Key);
        Assert.StartsWith("## SocketCluster conformance: FAILED (exit code 1)\n", md);
        // HS-001 failed in one of its two scenarios; the catalog's other MUSTs have no scenario here: out of scope, not untested.
        Assert.Contains("| server | **none @ v2** | 0 | 1 | 0 | HS-002 |\n", md);
        Assert.Contains("PASS 1 · FAIL 1 · NON-STRICT 1", md);
        Assert.Contains("<details><summary><b>FAIL</b> HS-001 (MUST, L1) · <code>features/Handshake/h.feature:12</code> v2 — ", md);
        Assert.Contains("```text\n  Scenario: ", md);
        Assert.Contains("  expected: " + Pattern, md);
        Assert.Contains("  Re-run:   rerun features/Handshake/h.feature:12", md);
        Assert.Contains("<b>NON-STRICT</b> HS-002", md);
    }

    [Fact]
    public void A_frame_with_backticks_gets_a_longer_fence()
    {
        var odd = FailedWithDiff() with { Steps = [new StepRecord("Then", "x", Outcome.Failed, TimeSpan.Zero, Expected: "a````b", Actual: [])] };
        var md = GitHubOutput.Markdown(Report(Evaluate([odd])));
        Assert.Contains("`````text\n", md);
    }

    [Fact]
    public void The_badge_is_a_shields_endpoint_with_the_verified_level_per_subject()
    {
        var passing = Report(Evaluate([Scenario("features/a.feature:3", Outcome.Passed, "server", "v2", "L1", "HS-001"),
            Scenario("features/e.feature:3", Outcome.Passed, "server", "v2", "L1", "EV-001"),
            Scenario("features/p.feature:3", Outcome.Passed, "server", "v2", "L3", "PS-001"),
            Scenario("features/c.feature:3", Outcome.Passed, "client", "v2", "L2", "RC-001")], new GateOptions { ClaimedLevel = 3 }));
        var badges = Badge.All(passing.Result).ToDictionary(b => b.Subject, b => JsonDocument.Parse(b.Json).RootElement);
        var server = badges["server"];
        Assert.Equal(1, server.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("SocketCluster conformance", server.GetProperty("label").GetString());
        Assert.Equal("L3 @ v2", server.GetProperty("message").GetString());
        Assert.Equal("brightgreen", server.GetProperty("color").GetString());
        Assert.Equal("SocketCluster client (csharp)", badges["csharp"].GetProperty("label").GetString());
        Assert.Equal("badge-csharp.json", Badge.FileName("csharp"));

        var failing = JsonDocument.Parse(Badge.All(FailingReport().Result).Single().Json).RootElement;
        Assert.Equal(("none @ v2", "red"), (failing.GetProperty("message").GetString(), failing.GetProperty("color").GetString()));
        var lower = new LevelResult("server", 2, 1, 4, null) { Reached = 3 };
        Assert.Equal("yellow", JsonDocument.Parse(Badge.Json("server", [lower])).RootElement.GetProperty("color").GetString());
        Assert.Equal("L3 @ v2 unverified", JsonDocument.Parse(Badge.Json("server", [lower])).RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public void Summary_files_are_appended_once_per_distinct_path()
    {
        var path = Path.Combine(_dir, "sub", "summary.md");
        GitHubOutput.AppendSummary("one\n", [path]);
        GitHubOutput.AppendSummary("two\n", [path, Path.Combine(_dir, "sub", ".", "summary.md")]);
        Assert.Equal("one\ntwo\n", File.ReadAllText(path));
    }

    [Fact]
    public void Plain_progress_lines_say_done_total_failures_and_a_slow_scenario()
    {
        Assert.Equal("[progress] 37/162 done, 2 failed, 0:25 elapsed", ConsoleUi.ProgressLine(37, 162, 2, TimeSpan.FromSeconds(25)));
        Assert.Equal("[progress] 161/162 done, 0 failed, 1:05 elapsed; running for 45 s: features/x.feature:21 v2",
            ConsoleUi.ProgressLine(161, 162, 0, TimeSpan.FromSeconds(65), ("features/x.feature:21", 2, TimeSpan.FromSeconds(45))));
    }

    [Fact]
    public async Task Plain_output_prints_progress_while_scenarios_run_and_no_line_per_scenario()
    {
        var console = new TestConsole();
        var ui = new ConsoleUi(console, live: false) { ProgressInterval = TimeSpan.FromMilliseconds(50) };
        var slow = new PlannedScenario("features/s.feature:3", "F", "slow", ["server", "v2", "L1", "HS-001"], "server");
        var fast = new PlannedScenario("features/f.feature:3", "F", "fast", ["server", "v2", "L1", "EV-001"], "server");
        var records = await ui.RunAsync([
            new WorkItem(slow, 2, async ct => { await Task.Delay(400, ct); return Scenario(slow.Key, Outcome.Passed, [.. slow.Tags]); }),
            new WorkItem(fast, 2, _ => Task.FromResult(Scenario(fast.Key, Outcome.Failed, [.. fast.Tags]))),
        ], TestContext.Current.CancellationToken, parallel: 2);
        Assert.Equal(2, records.Count);
        var lines = console.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // 400 ms at a 50 ms interval: several lines while the slow one runs (bounded below generously for a busy machine).
        Assert.True(lines.Count(l => l.StartsWith("[progress] 1/2 done, 1 failed", StringComparison.Ordinal)) >= 2, console.Output);
        Assert.StartsWith("[progress] 2/2 done, 1 failed", lines[^1]);
        Assert.All(lines, l => Assert.StartsWith("[progress]", l));
    }

    private async Task<(int Code, string Output, string Errors, List<string> Ran)> RunGate(Dictionary<string, string?> environment, params string[] args)
    {
        var ran = new List<string>();
        var console = new TestConsole();
        var errors = new StringWriter();
        var gate = new Gate(console, errors, _ => new Runner(ran), (_, _) => Task.CompletedTask, RepoRootWithCatalog)
        {
            Environment = name => environment.GetValueOrDefault(name),
        };
        var code = await gate.RunAsync(args, TestContext.Current.CancellationToken);
        return (code, console.Output, errors.ToString(), ran);
    }

    /// <summary>Three scenarios, one of them (an Examples row, line 13) failing with expected/actual.</summary>
    private sealed class Runner(List<string> ran) : IScenarioRunner
    {
        private static readonly PlannedScenario[] All =
        [
            new("features/Handshake/h.feature:12", "H", "row one", ["server", "v2", "L1", "HS-001"], "server"),
            new("features/Handshake/h.feature:13", "H", "row two", ["server", "v2", "L1", "HS-001"], "server"),
            new("features/Events/e.feature:3", "E", "events", ["server", "v2", "L1", "EV-001"], "server"),
            // One client row, once per client under test (the client is a run dimension).
            new("features/Client/c.feature:5 [client=csharp]", "C", "reconnects [client=csharp]", ["client", "v2", "L2", "RC-001"], "csharp"),
            new("features/Client/c.feature:5 [client=node]", "C", "reconnects [client=node]", ["client", "v2", "L2", "RC-001"], "node"),
        ];

        public Task<Uri> PrepareAsync(Uri? endpoint, int protocolVersion, CancellationToken cancellationToken) =>
            Task.FromResult(endpoint ?? new Uri("ws://127.0.0.1:5555/socketcluster/"));

        public IReadOnlyList<PlannedScenario> Discover(int protocolVersion) => All;

        public Task<ScenarioRecord> RunAsync(PlannedScenario scenario, int protocolVersion, CancellationToken cancellationToken)
        {
            lock (ran) ran.Add(scenario.Key);
            return Task.FromResult(scenario.Key.EndsWith(":13", StringComparison.Ordinal)
                ? FailedWithDiff() with { Key = scenario.Key }
                : Scenario(scenario.Key, Outcome.Passed, [.. scenario.Tags]));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Scenario_selects_exactly_the_named_rows()
    {
        var (code, output, _, ran) = await RunGate([], "--scenario", "features/Handshake/h.feature:12", "--scenario", "./features/Events/e.feature:3");
        Assert.Equal(0, code);
        Assert.Equal(["features/Events/e.feature:3", "features/Handshake/h.feature:12"], ran.Order(StringComparer.Ordinal));
        Assert.Contains("2 scenario(s)", output);
    }

    [Theory]
    [InlineData(new[] { "--scenario", "features/Client/c.feature:5" }, new[] { "features/Client/c.feature:5 [client=csharp]", "features/Client/c.feature:5 [client=node]" })]
    [InlineData(new[] { "--scenario", "features/Client/c.feature:5", "--clients", "node" }, new[] { "features/Client/c.feature:5 [client=node]" })]
    [InlineData(new[] { "--scenario", "Client/c.feature:5 [client=csharp]" }, new[] { "features/Client/c.feature:5 [client=csharp]" })]
    [InlineData(new[] { "--endpoint", "ws://127.0.0.1:9/", "--scenario", "features/Client/c.feature:5" }, new[] { "features/Client/c.feature:5 [client=csharp]", "features/Client/c.feature:5 [client=node]" })]
    public async Task Scenario_names_a_client_row_for_every_client_or_one_case(string[] args, string[] expected)
    {
        var (code, _, errors, ran) = await RunGate([], args);
        Assert.True(code is 0 or 3, errors);
        Assert.Equal(expected, ran.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_unknown_scenario_is_a_usage_error_listing_the_lines_of_that_file()
    {
        var (code, _, errors, ran) = await RunGate([], "--scenario", "features/Handshake/h.feature:14");
        Assert.Equal(2, code);
        Assert.Contains("features/Handshake/h.feature has them at lines 12, 13", errors);
        Assert.Empty(ran);
        (code, _, errors, _) = await RunGate([], "--scenario", "features/Client/c.feature:6 [client=csharp]");
        Assert.Equal(2, code);
        Assert.Contains("features/Client/c.feature has them at lines 5", errors);
        (code, _, errors, _) = await RunGate([], "--scenario", "features/Nope/n.feature:1");
        Assert.Equal(2, code);
        Assert.Contains("no scenario in features/Nope/n.feature", errors);
    }

    [Fact]
    public async Task A_failing_run_prints_blocks_and_on_GitHub_annotations_and_the_step_summary()
    {
        var stepSummary = Path.Combine(_dir, "step-summary.md");
        File.WriteAllText(stepSummary, "earlier step\n");
        var extra = Path.Combine(_dir, "extra.md");
        var (code, output, _, _) = await RunGate(new() { ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = stepSummary },
            "--endpoint", "ws://127.0.0.1:9/", "--summary", extra, "--report", _dir);
        Assert.Equal(1, code);
        Assert.Contains("1 failure(s):", output);
        Assert.Contains("FAIL HS-001 (MUST, L1) · server · v2 · features/Handshake/h.feature:13", output);
        Assert.Contains("Re-run:   dotnet run --project harness/Conformance.Cli -- --endpoint ws://127.0.0.1:9/socketcluster/ --scenario features/Handshake/h.feature:13", output);
        Assert.Contains("::error file=features/Handshake/h.feature,line=15,", output);
        // Blocks and annotations come before the summary table, and the verdict line stays last.
        Assert.True(output.IndexOf("::error", StringComparison.Ordinal) < output.IndexOf("FAILED (exit code 1)", StringComparison.Ordinal));
        Assert.StartsWith("earlier step\n## SocketCluster conformance: FAILED", File.ReadAllText(stepSummary));
        Assert.Contains("features/Handshake/h.feature:13", File.ReadAllText(extra));
        Assert.Equal("none @ v2", JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "badge.json"))).RootElement.GetProperty("message").GetString());
        Assert.Contains($"Report: {Path.GetFullPath(extra)}", output);
    }

    [Fact]
    public async Task Off_GitHub_there_are_no_annotations_and_no_step_summary()
    {
        var stepSummary = Path.Combine(_dir, "step-summary.md");
        var (code, output, _, _) = await RunGate(new() { ["GITHUB_STEP_SUMMARY"] = stepSummary });
        Assert.Equal(1, code);
        Assert.Contains("1 failure(s):", output);
        Assert.DoesNotContain("::error", output);
        Assert.False(File.Exists(stepSummary));
    }
}
