using System.Xml.Linq;
using Conformance.Reports;
using Spectre.Console.Testing;
using Xunit;

namespace Conformance.Cli.Tests.Unit;

/// <summary>The gate end to end (parse, prepare, run, judge, report, exit code) over a synthetic runner.</summary>
public sealed class GateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-gate-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private sealed class FakeRunner(Dictionary<string, (Outcome Outcome, string[] Tags)> scenarios, Exception? prepareError = null) : IScenarioRunner
    {
        /// <summary>The skip reason of scenarios whose outcome is Skipped (as the engine would give it).</summary>
        public string SkipReason { get; init; } = "fixture-app contract not offered";
        /// <summary>What <see cref="FixtureContractErrorAsync"/> reports (a hello that answers but breaks the contract).</summary>
        public string? ContractError { get; init; }

        public Task<string?> FixtureContractErrorAsync(int protocolVersion, CancellationToken cancellationToken) => Task.FromResult(ContractError);

        public List<string> Ran { get; } = [];
        public List<(Uri? Endpoint, int Version)> Prepared { get; } = [];
        public bool Disposed { get; private set; }

        public Task<Uri> PrepareAsync(Uri? endpoint, int protocolVersion, CancellationToken cancellationToken)
        {
            Prepared.Add((endpoint, protocolVersion));
            if (prepareError is not null) throw prepareError;
            return Task.FromResult(endpoint ?? new Uri("ws://127.0.0.1:5555/socketcluster/"));
        }

        public IReadOnlyList<PlannedScenario> Discover(int protocolVersion) =>
            scenarios.Where(s => s.Value.Tags.Contains($"v{protocolVersion}"))
                .Select(s => new PlannedScenario(s.Key, "Feature", "Scenario " + s.Key, s.Value.Tags, SubjectOf(s.Value.Tags))).ToList();

        /// <summary>@client scenarios grade the client named by a "driver-NAME" tag (csharp when none).</summary>
        public static string SubjectOf(string[] tags) => !tags.Contains("client") ? "server"
            : tags.FirstOrDefault(t => t.StartsWith("driver-", StringComparison.Ordinal))?["driver-".Length..] ?? "csharp";

        public Task<ScenarioRecord> RunAsync(PlannedScenario scenario, int protocolVersion, CancellationToken cancellationToken)
        {
            lock (Ran) Ran.Add($"{scenario.Key}@v{protocolVersion}"); // the gate runs scenarios in parallel
            var outcome = scenarios[scenario.Key].Outcome;
            if (outcome == Outcome.NotRun) throw new InvalidOperationException("engine exploded");
            return Task.FromResult(Synthetic.Scenario(scenario.Key, outcome, [.. scenario.Tags]) with
            {
                ProtocolVersion = protocolVersion,
                Subject = scenario.Subject,
                SkipReason = outcome == Outcome.Skipped ? SkipReason : null,
            });
        }

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }

    private static Dictionary<string, (Outcome, string[])> Suite(Outcome evOutcome = Outcome.Passed) => new()
    {
        ["features/a.feature:3"] = (Outcome.Passed, ["server", "v2", "v1", "L1", "HS-001"]),
        ["features/e.feature:3"] = (evOutcome, ["server", "v2", "L1", "EV-001", "fixture"]),
        ["features/p.feature:3"] = (Outcome.Passed, ["server", "v2", "L3", "PS-001"]),
    };

    private Task<(int Code, string Output, string Errors, FakeRunner Runner, Gate Gate)> Run(FakeRunner runner, params string[] args) =>
        Run(new TestConsole().Width(400), runner, args);

    private async Task<(int Code, string Output, string Errors, FakeRunner Runner, Gate Gate)> Run(TestConsole console, FakeRunner runner, params string[] args)
    {
        var errors = new StringWriter();
        var probes = new List<Uri>();
        var gate = new Gate(console, errors, _ => runner, (uri, _) => { probes.Add(uri); return Task.CompletedTask; }, Synthetic.RepoRootWithCatalog);
        var code = await gate.RunAsync(args, TestContext.Current.CancellationToken);
        return (code, console.Output, errors.ToString(), runner, gate);
    }

    [Fact]
    public async Task All_passing_exits_0_with_the_level_and_plain_progress_lines()
    {
        // One at a time, so the progress numbering follows the feature order; --verbose for a line per scenario.
        var (code, output, _, runner, gate) = await Run(new FakeRunner(Suite()), "--report", _dir, "--parallel", "1", "--verbose");
        Assert.Equal(0, code);
        Assert.Equal(3, runner.Ran.Count);
        Assert.True(runner.Disposed);
        Assert.Equal([(null, 2)], runner.Prepared);
        Assert.Contains("[1/3] passed  HS-001 features/a.feature:3 v2", output);
        Assert.Contains("[3/3] passed", output);
        Assert.Contains("Verified level, Server under test: L3 @ v2", output);
        Assert.Contains("PASSED (exit code 0)", output);
        Assert.Contains("(embedded C# reference sample)", output);
        Assert.Equal("embedded", gate.LastReport!.Run.EndpointKind);
        Assert.True(File.Exists(Path.Combine(_dir, "junit.xml")));
        Assert.True(File.Exists(Path.Combine(_dir, "report.json")));
        Assert.True(File.Exists(Path.Combine(_dir, "report.html")));
    }

    [Fact]
    public async Task A_failing_MUST_exits_1_and_names_the_requirement_everywhere()
    {
        var junit = Path.Combine(_dir, "custom", "j.xml");
        var (code, output, _, _, _) = await Run(new FakeRunner(Suite(Outcome.Failed)), "--report", _dir, "--junit", junit);
        Assert.Equal(1, code);
        Assert.Contains("FAILED (exit code 1)", output);
        Assert.Contains("EV-001", output);
        Assert.Contains("Verified level, Server under test: none @ v2", output);
        var failure = XDocument.Load(junit).Descendants("failure").Single();
        Assert.Contains("EV-001", failure.Attribute("message")!.Value);
        Assert.Contains("EV-001", File.ReadAllText(Path.Combine(_dir, "report.html")));
        Assert.False(File.Exists(Path.Combine(_dir, "junit.xml")));
    }

    [Fact]
    public async Task An_expectations_file_turns_1_into_0()
    {
        var file = Path.Combine(_dir, "exp.json");
        File.WriteAllText(file, """{"implementation":"fake","expectedFailures":{"EV-001":"known"}}""");
        var (code, output, _, _, _) = await Run(new FakeRunner(Suite(Outcome.Failed)), "--expectations", file);
        Assert.Equal(0, code);
        Assert.Contains("1 expected failure(s)", output);
    }

    [Fact]
    public async Task The_claimed_level_leaves_higher_scenarios_unrun_and_unimplemented()
    {
        var (code, _, _, runner, gate) = await Run(new FakeRunner(Suite()), "--level", "L2");
        Assert.Equal(0, code);
        Assert.DoesNotContain("features/p.feature:3@v2", runner.Ran);
        Assert.Equal(Verdict.Unimplemented, gate.LastReport!.Result.Scenarios.Single(s => s.Scenario.Key == "features/p.feature:3").Verdict);
        Assert.Equal("L1 @ v2", gate.LastReport.Result.Levels.Single().Label);
    }

    [Fact]
    public async Task Tags_select_scenarios_and_both_versions_run_newest_first()
    {
        var (code, _, _, runner, gate) = await Run(new FakeRunner(Suite()), "--tags", "@L1", "--protocol", "1,2", "--endpoint", "ws://127.0.0.1:7/", "--parallel", "1");
        Assert.Equal(0, code);
        Assert.Equal(["features/a.feature:3@v2", "features/e.feature:3@v2", "features/a.feature:3@v1"], runner.Ran);
        Assert.Equal([2, 1], runner.Prepared.Select(p => p.Version));
        Assert.Equal(["L1 @ v2", "L1 @ v1 unverified"], gate.LastReport!.Result.Levels.Select(l => l.Label));
        Assert.Equal("url", gate.LastReport.Run.EndpointKind);
    }

    [Fact]
    public async Task An_engine_crash_is_a_failed_scenario_not_a_crashed_gate()
    {
        var (code, _, _, _, gate) = await Run(new FakeRunner(Suite(Outcome.NotRun)));
        Assert.Equal(1, code);
        Assert.Contains("engine exploded", gate.LastReport!.Result.Scenarios.Single(s => s.Verdict == Verdict.Fail).Scenario.Error);
    }

    [Theory]
    [InlineData(new[] { "--level", "L9" }, "--level must be")]
    [InlineData(new[] { "--tags", "@nothing" }, "no scenario matches --tags \"@nothing\"")]
    public async Task Usage_errors_exit_2_with_one_line(string[] args, string expected)
    {
        var (code, _, errors, runner, _) = await Run(new FakeRunner(Suite()), args);
        Assert.Equal(2, code);
        Assert.Contains(expected, errors);
        Assert.Single(errors.Trim().Split('\n'));
        Assert.Empty(runner.Ran);
    }

    [Fact]
    public async Task A_malformed_expectations_file_exits_2()
    {
        var file = Path.Combine(_dir, "bad.json");
        File.WriteAllText(file, "{");
        var (code, _, errors, _, _) = await Run(new FakeRunner(Suite()), "--expectations", file);
        Assert.Equal(2, code);
        Assert.Contains("not valid JSON", errors);
    }

    [Fact]
    public async Task An_endpoint_that_cannot_be_prepared_exits_2()
    {
        var (code, _, errors, runner, _) = await Run(new FakeRunner(Suite(), new EndpointUnavailableException("endpoint ws://x is unreachable: ConnectionRefused")), "--endpoint", "ws://127.0.0.1:1/");
        Assert.Equal(2, code);
        Assert.Equal("conformance: endpoint ws://x is unreachable: ConnectionRefused", errors.Trim());
        Assert.True(runner.Disposed);
    }

    [Fact]
    public async Task On_a_terminal_progress_is_live_and_failures_are_printed_as_they_happen()
    {
        var console = new TestConsole().Interactive().EmitAnsiSequences();
        var (code, output, _, _, _) = await Run(console, new FakeRunner(Suite(Outcome.Failed)));
        Assert.Equal(1, code);
        Assert.Contains("✗", output);
        Assert.Contains("EV-001 features/e.feature:3 v2", output);
        Assert.DoesNotContain("[1/3] passed", output); // no plain lines on a terminal
        Assert.Contains("FAILED", output);

        var (plainCode, plainOutput, _, _, _) = await Run(new TestConsole().Interactive(), new FakeRunner(Suite()), "--plain", "--verbose");
        Assert.Equal(0, plainCode);
        Assert.Contains("[1/3] passed", plainOutput);
    }

    [Fact]
    public async Task Help_exits_0()
    {
        var (code, output, _, _, _) = await Run(new FakeRunner(Suite()), "--help");
        Assert.Equal(0, code);
        Assert.Contains("--expectations", output);
    }

    // Issue 10 §1: every cause of an untested MUST ends the run INCOMPLETE with exit code 3, never 0.
    public static TheoryData<string, string> UntestedCauses => new()
    {
        { "no fixture", "needs the fixture app (spec/fixture-app.md), but conformance.hello was not answered within 2000 ms by ws://127.0.0.1:7/socketcluster/: the server does not host the fixture app (spec/fixture-app.md)" },
        { "hello missing fields", "needs the fixture app (spec/fixture-app.md), but conformance.hello on ws://127.0.0.1:7/socketcluster/ lacks pingInterval, pingTimeout, ackTimeout (spec/fixture-app.md §5.1)" },
        { "capability absent", "needs the optional fixture capability delayHandshake (spec/fixture-app.md §2.1), but conformance.hello of fixture advertises: none" },
        { "driver unavailable", "the chromium client driver is not available on this machine: Chromium was not found" },
    };

    [Theory]
    [MemberData(nameof(UntestedCauses))]
    public async Task An_untested_MUST_exits_3_INCOMPLETE_and_says_once_why(string cause, string reason)
    {
        var client = cause == "driver unavailable";
        var suite = client
            ? new Dictionary<string, (Outcome, string[])>
            {
                ["features/a.feature:3"] = (Outcome.Passed, ["server", "v2", "L1", "HS-001"]),
                ["features/c.feature:3"] = (Outcome.Passed, ["client", "v2", "L2", "RC-001", "driver-csharp"]),
                ["features/c.feature:4"] = (Outcome.Skipped, ["client", "v2", "L2", "RC-001", "driver-chromium"]),
            }
            : Suite(Outcome.Skipped);
        var runner = new FakeRunner(suite)
        {
            SkipReason = reason,
            ContractError = cause == "hello missing fields" ? "conformance.hello on ws://127.0.0.1:7/socketcluster/ lacks pingInterval, pingTimeout, ackTimeout" : null,
        };
        string[] args = client ? [] : ["--endpoint", "ws://127.0.0.1:7/"];
        var (code, output, errors, _, gate) = await Run(runner, args);
        Assert.Equal(ExitCodes.Incomplete, code);
        Assert.Contains("INCOMPLETE (exit code 3)", output);
        var subject = client ? "chromium" : "server";
        Assert.Contains($"Untested: {subject}: 1 MUST untested because {TranscriptText.FirstLine(reason)}", output);
        // Once per reason in the summary, not once per scenario line.
        Assert.Single(output.Split('\n'), l => l.StartsWith("Untested:", StringComparison.Ordinal));
        Assert.Equal(RunVerdict.Incomplete, gate.LastReport!.Result.RunVerdict);
        if (cause == "hello missing fields")
            Assert.Equal("conformance: error: conformance.hello on ws://127.0.0.1:7/socketcluster/ lacks pingInterval, pingTimeout, ackTimeout (spec/fixture-app.md §5.1): "
                + "the scenarios that need the fixture app will be skipped (untested)", errors.Trim());
        else
            Assert.Empty(errors);

        var (allowed, allowedOutput, _, _, allowedGate) = await Run(new FakeRunner(suite) { SkipReason = reason }, [.. args, "--allow-untested"]);
        Assert.Equal(ExitCodes.Success, allowed);
        Assert.Contains("PASSED (exit code 0)", allowedOutput);
        Assert.Contains(allowedGate.LastReport!.Result.Levels, l => l.Subject == subject && l.MustUntested == 1);
    }

    [Fact]
    public async Task A_failure_wins_over_untested()
    {
        var suite = Suite(Outcome.Failed);
        suite["features/a.feature:3"] = (Outcome.Skipped, ["server", "v2", "L1", "HS-001"]);
        var (code, output, _, _, _) = await Run(new FakeRunner(suite));
        Assert.Equal(ExitCodes.Failures, code);
        Assert.Contains("FAILED (exit code 1)", output);
    }

    [Fact]
    public async Task Scenarios_deselected_by_tags_are_out_of_scope_not_untested()
    {
        var (code, output, _, _, gate) = await Run(new FakeRunner(Suite()), "--tags", "@HS-001 or @EV-001");
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("Out of scope: 1 applicable MUST(s)", output);
        Assert.Equal(["PS-001"], gate.LastReport!.Result.Levels.Single().OutOfScope);
    }

    [Fact]
    public async Task Require_level_fails_the_run_below_it()
    {
        var (code, output, _, _, _) = await Run(new FakeRunner(Suite()), "--tags", "@L1", "--require-level", "L3");
        Assert.Equal(ExitCodes.Failures, code);
        Assert.Contains("Below --require-level: server: verified L1 @ v2, below the required L3", output);
        var (passing, _, _, _, _) = await Run(new FakeRunner(Suite()), "--require-level", "L3");
        Assert.Equal(ExitCodes.Success, passing);
    }

    [Fact]
    public async Task With_an_endpoint_client_scenarios_are_out_of_scope_unless_asked_for()
    {
        var suite = Suite();
        suite["features/c.feature:3"] = (Outcome.Skipped, ["client", "v2", "L2", "RC-001", "driver-chromium"]);
        suite["features/c.feature:4"] = (Outcome.Passed, ["client", "v2", "L2", "RC-001", "driver-csharp"]);

        var (code, output, _, runner, gate) = await Run(new FakeRunner(suite), "--endpoint", "ws://127.0.0.1:7/");
        Assert.Equal(ExitCodes.Success, code);
        Assert.DoesNotContain(runner.Ran, r => r.StartsWith("features/c.feature", StringComparison.Ordinal));
        Assert.Contains("2 client scenario(s) out of scope (--endpoint tests the server; add --clients to run them)", output);
        Assert.Equal(["server"], gate.LastReport!.Result.Levels.Select(l => l.Subject));

        var (asked, _, _, askedRunner, _) = await Run(new FakeRunner(suite), "--endpoint", "ws://127.0.0.1:7/", "--clients", "csharp");
        Assert.Equal(ExitCodes.Success, asked);
        Assert.Contains("features/c.feature:4@v2", askedRunner.Ran);
        Assert.DoesNotContain("features/c.feature:3@v2", askedRunner.Ran);

        // Without --endpoint every client runs, as before: the unavailable chromium driver leaves the run INCOMPLETE.
        var (embedded, _, _, _, _) = await Run(new FakeRunner(suite));
        Assert.Equal(ExitCodes.Incomplete, embedded);

        var (unknown, _, errors, _, _) = await Run(new FakeRunner(suite), "--clients", "dart");
        Assert.Equal(ExitCodes.Usage, unknown);
        Assert.Contains("--clients: no client driver \"dart\" (known: chromium, csharp)", errors);
    }
}
