using Conformance.Engine.Catalog;
using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Conformance.Reports;
using Xunit;

namespace Conformance.Cli.Tests.Unit;

/// <summary>Engine results (real pickles compiled by the engine's catalog) become report records.</summary>
public sealed class EngineResultMapperTests
{
    private const string Feature = """
        @server @v2
        Feature: Handshake demo

          @L1 @HS-002
          Scenario: The handshake is answered
            Given raw connection A is open
            When A sends '{"event":"#handshake","cid":1}'
            Then A receives '{"rid":1}'
            And A is still open

          @client @L1 @EV-001
          Scenario: A client transmits
            Given a client C is connected
            Then C emits connect with '{}'
        """;

    // The client scenario runs once per built-in client (ClientDimension): Cases[1] is its csharp case.
    private static readonly IReadOnlyList<ScenarioCase> Cases = ClientDimension.Expand(FeatureCatalog.Compile(Feature, "features/demo.feature", ""), []);

    /// <summary>A result of the compiled scenario with the given status (its id, display name and tags).</summary>
    private static ScenarioResult ResultOf(ScenarioCase scenario, ScenarioStatus status) => new()
    {
        Id = scenario.Id, DisplayName = scenario.DisplayName, Status = status, Tags = scenario.Tags,
    };

    [Fact]
    public void A_failed_step_splits_steps_into_passed_failed_and_not_run_and_closes_are_parsed()
    {
        var scenario = Cases[0];
        var result = ResultOf(scenario, ScenarioStatus.Failed) with
        {
            FailingStep = "Then A receives '{\"rid\":1}'", FailingLocation = "features/demo.feature:8",
            Message = "no frame matched {\"rid\":1}", Duration = TimeSpan.FromSeconds(1),
            TranscriptEntries =
            [
                new TranscriptEntry(TimeSpan.FromMilliseconds(1), "A", WireDirection.Note, "upgrade accepted (101)"),
                new TranscriptEntry(TimeSpan.FromMilliseconds(2), "A", WireDirection.Out, "{\"event\":\"#handshake\",\"cid\":1}"),
                new TranscriptEntry(TimeSpan.FromMilliseconds(3), "A", WireDirection.In, "''"),
                new TranscriptEntry(TimeSpan.FromMilliseconds(4), "A", WireDirection.In, "[binary] AAEC"),
                new TranscriptEntry(TimeSpan.FromMilliseconds(5), "A", WireDirection.In, "[close 4008 reason 'it\\'s over']"),
            ],
        };
        var started = Synthetic.T0;
        var record = EngineResultMapper.ToRecord(scenario, result, 2, started);

        Assert.Equal("features/demo.feature:5", record.Key);
        Assert.Equal(("server", Outcome.Failed), (record.Subject, record.Outcome));
        Assert.Equal(["HS-002"], record.RequirementIds);
        Assert.Equal(1, record.Level);
        Assert.StartsWith("Step failed: Then A receives '{\"rid\":1}' (features/demo.feature:8)\nno frame matched", record.Error);
        Assert.Equal([Outcome.Passed, Outcome.Passed, Outcome.Failed, Outcome.NotRun], record.Steps.Select(s => s.Outcome));
        Assert.Equal("no frame matched {\"rid\":1}", record.Steps[2].Error);

        Assert.Equal(["note", "text", "text", "binary", "close"], record.Transcript.Select(e => e.Kind));
        Assert.Equal([Direction.Note, Direction.Out, Direction.In, Direction.In, Direction.In], record.Transcript.Select(e => e.Direction));
        Assert.Equal("", record.Transcript[2].Data);
        Assert.Equal("AAEC", record.Transcript[3].Data);
        Assert.Equal((4008, "it's over"), (record.Transcript[4].CloseCode, record.Transcript[4].CloseReason));
        Assert.Equal(started.AddMilliseconds(5), record.Transcript[4].Timestamp);
    }

    [Fact]
    public void Client_cases_grade_their_client_under_test_and_pending_steps_fail_as_engine_errors()
    {
        var scenario = Cases[1];
        var result = ResultOf(scenario, ScenarioStatus.Pending) with
        {
            FailingStep = "Then C emits connect with '{}'", FailingLocation = "features/demo.feature:14",
            Message = "No matching step definition found",
        };
        var record = EngineResultMapper.ToRecord(scenario, result, 2, Synthetic.T0);
        Assert.Equal("csharp", record.Subject);
        Assert.Equal("A client transmits [client=csharp]", record.Name);
        Assert.Equal("features/demo.feature:12 [client=csharp]", record.Key);
        Assert.Equal(("features/demo.feature:12", "csharp", "features/demo.feature", 12), (record.Location, record.Client, record.FeatureFile, record.KeyLine));
        Assert.Equal(["csharp", "chromium", "jint", "node"], Cases.Skip(1).Select(EngineResultMapper.SubjectOf));
        // An undefined step fails the run with the step and its file:line: a typo must never silently remove a check.
        Assert.Equal(Outcome.Failed, record.Outcome);
        Assert.Null(record.SkipReason);
        Assert.StartsWith("Engine error: undefined or pending step: Then C emits connect with '{}' (features/demo.feature:14)\nNo matching step definition found", record.Error);
        Assert.Equal([Outcome.Passed, Outcome.Failed], record.Steps.Select(s => s.Outcome));
    }

    [Fact]
    public void Dotnet_test_runs_write_the_reports_when_SC_REPORT_DIR_is_set()
    {
        var dir = Path.Combine(Path.GetTempPath(), "cli-sc-report-" + Guid.NewGuid().ToString("N"));
        Environment.SetEnvironmentVariable(TestRunReports.DirectoryVariable, dir);
        try
        {
            var scenario = Cases[0];
            TestRunReports.Record(scenario, ResultOf(scenario, ScenarioStatus.Passed), new EngineSettings { RepoRoot = EngineSettings.FindRepoRoot() });
            var paths = TestRunReports.Flush();
            Assert.Equal(4, paths.Count); // junit.xml, report.json, report.html, badge.json
            Assert.Contains("features/demo.feature:5", File.ReadAllText(Path.Combine(dir, "report.json")));
            Assert.Contains("dotnet-test", File.ReadAllText(Path.Combine(dir, "report.json")));
        }
        finally
        {
            Environment.SetEnvironmentVariable(TestRunReports.DirectoryVariable, null);
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }
}
