using Conformance.Reports;
using Xunit;
using static Conformance.Cli.Tests.Synthetic;

namespace Conformance.Cli.Tests.Unit;

public sealed class ExpectationsTests
{
    [Fact]
    public void Parses_implementation_and_keys_of_both_kinds()
    {
        var e = Expectations.Parse("""
            { // comments are allowed
              "implementation": "my-server 1.0",
              "comment": "known failures",
              "expectedFailures": { "HS-004": "no pingTimeout", "features/handshake/a.feature:12": "flaky", "features/b.feature:3@v1": "v1 only" },
            }
            """, "x.json");
        Assert.Equal("my-server 1.0", e.Implementation);
        Assert.Equal(3, e.ExpectedFailures.Count);
        Assert.Equal("x.json", e.SourcePath);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("""{"expectedFailures":{"handshake":"x"}}""", "neither a requirement ID")]
    [InlineData("""{"expectedFailures":{"HS-004":""}}""", "non-empty string")]
    [InlineData("""{"expectedFailures":{"HS-004":3}}""", "non-empty string")]
    [InlineData("""{"expectedFailure":{}}""", "unknown field \"expectedFailure\"")]
    [InlineData("""{"implementation":1}""", "\"implementation\" must be a string")]
    public void Rejects_malformed_files_with_a_one_line_reason(string json, string expected)
    {
        var e = Assert.Throws<ExpectationsException>(() => Expectations.Parse(json, "bad.json"));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("bad.json", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_missing_file_is_a_clear_error() =>
        Assert.Contains("cannot read expectations file", Assert.Throws<ExpectationsException>(() => Expectations.Load("/nonexistent/x.json")).Message);

    [Fact]
    public void An_expected_failure_does_not_fail_the_run_and_keeps_its_reason()
    {
        var expectations = Expectations.Parse("""{"expectedFailures":{"features/e.feature:3":"rid is a string"}}""");
        var result = Evaluate([Scenario("features/e.feature:3", Outcome.Failed, "server", "v2", "L1", "EV-001")], new GateOptions { Expectations = expectations });
        var v = result.Scenarios.Single();
        Assert.Equal(Verdict.Fail, v.Verdict);
        Assert.Equal("rid is a string", v.ExpectedFailure);
        Assert.False(v.FailsRun);
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("expected failure", result.Reason);
        Assert.Equal("rid is a string", result.Requirements.Single().ExpectedFailure);
    }

    [Fact]
    public void A_client_row_key_covers_every_client_and_a_client_key_only_that_client()
    {
        var expectations = Expectations.Parse("""
            {"expectedFailures":{"features/c.feature:3":"every client", "features/c.feature:4 [client=jint]":"jint only", "features/c.feature:5 [client=node]@v1":"node at v1 only"}}
            """);
        ScenarioRecord Case(int line, string client, int version = 2) =>
            Scenario($"features/c.feature:{line} [client={client}]", Outcome.Failed, "client", $"v{version}", "L2", "RC-001") with { Subject = client };
        Assert.Equal(["features/c.feature:3"], expectations.KeysFor(Case(3, "csharp")));
        Assert.Equal(["features/c.feature:4 [client=jint]"], expectations.KeysFor(Case(4, "jint")));
        Assert.Empty(expectations.KeysFor(Case(4, "node")));
        Assert.Equal(["features/c.feature:5 [client=node]@v1"], expectations.KeysFor(Case(5, "node", 1)));
        Assert.Empty(expectations.KeysFor(Case(5, "node", 2)));
    }

    [Fact]
    public void A_requirement_key_covers_every_scenario_tagged_with_it_and_a_versioned_key_only_its_version()
    {
        var expectations = Expectations.Parse("""{"expectedFailures":{"EV-001":"bug","features/h.feature:3@v1":"v1 bug"}}""");
        var result = Evaluate([
            Scenario("features/e.feature:3", Outcome.Failed, "server", "v2", "L1", "EV-001"),
            Scenario("features/e.feature:8", Outcome.Failed, "server", "v2", "L1", "HS-001", "EV-001"),
            Scenario("features/h.feature:3", Outcome.Failed, "server", "v2", "L1", "HS-001"),
        ], new GateOptions { Expectations = expectations });
        Assert.NotNull(result.Scenarios[0].ExpectedFailure);
        Assert.Null(result.Scenarios[2].ExpectedFailure);
        Assert.False(result.Passed);
        Assert.Equal(["features/h.feature:3@v1"], result.UnusedExpectations);
    }

    [Fact]
    public void A_requirement_entry_excuses_that_requirement_only_and_the_scenario_still_fails_for_the_others()
    {
        var expectations = Expectations.Parse("""{"expectedFailures":{"EV-001":"bug"}}""");
        var result = Evaluate([Scenario("features/e.feature:8", Outcome.Failed, "server", "v2", "L1", "HS-001", "EV-001")],
            new GateOptions { Expectations = expectations });
        var v = result.Scenarios.Single();
        Assert.Null(v.ExpectedFailure);
        Assert.True(v.FailsRun);
        Assert.Equal(["HS-001"], v.UnexcusedRequirements);
        Assert.Equal(ExitCodes.Failures, result.ExitCode);
        Assert.StartsWith("1 scenario(s) failed: HS-001;", result.Reason);
        Assert.Equal("bug", result.Requirements.Single(r => r.Id == "EV-001").ExpectedFailure);
        Assert.Null(result.Requirements.Single(r => r.Id == "HS-001").ExpectedFailure);

        // Entries for every MUST it checks, or one naming the scenario, excuse it.
        var both = Expectations.Parse("""{"expectedFailures":{"EV-001":"bug","HS-001":"bug too"}}""");
        Assert.False(Evaluate([Scenario("features/e.feature:8", Outcome.Failed, "server", "v2", "L1", "HS-001", "EV-001")],
            new GateOptions { Expectations = both }).Scenarios.Single().FailsRun);
        var byScenario = Expectations.Parse("""{"expectedFailures":{"features/e.feature:8":"this row"}}""");
        var excused = Evaluate([Scenario("features/e.feature:8", Outcome.Failed, "server", "v2", "L1", "HS-001", "EV-001")],
            new GateOptions { Expectations = byScenario });
        Assert.Equal("this row", excused.Scenarios.Single().ExpectedFailure);
        Assert.Equal(ExitCodes.Success, excused.ExitCode);
    }

    [Fact]
    public void A_SHOULD_without_an_entry_fails_the_run_only_under_strict()
    {
        // HS-002 is a SHOULD: the EV-001 entry excuses the MUST; under --strict the SHOULD counts too.
        var expectations = Expectations.Parse("""{"expectedFailures":{"EV-001":"bug"}}""");
        ScenarioRecord[] records = [Scenario("features/e.feature:8", Outcome.Failed, "server", "v2", "L1", "HS-002", "EV-001")];
        Assert.False(Evaluate(records, new GateOptions { Expectations = expectations }).Scenarios.Single().FailsRun);
        var strict = Evaluate(records, new GateOptions { Expectations = expectations, Strict = true }).Scenarios.Single();
        Assert.True(strict.FailsRun);
        Assert.Equal(["HS-002"], strict.UnexcusedRequirements);
    }

    [Fact]
    public void Unexpected_passes_are_reported_so_the_file_can_shrink()
    {
        var expectations = Expectations.Parse("""{"expectedFailures":{"HS-001":"was broken","EV-001":"still broken","PS-001":"not selected"}}""");
        var result = Evaluate([
            Scenario("features/a.feature:3", Outcome.Passed, "server", "v2", "L1", "HS-001"),
            Scenario("features/e.feature:3", Outcome.Passed, "server", "v2", "L1", "EV-001"),
            Scenario("features/e.feature:9", Outcome.Failed, "server", "v2", "L1", "EV-001"),
        ], new GateOptions { Expectations = expectations });
        Assert.Equal([("HS-001", "was broken")], result.UnexpectedPasses);
        Assert.Equal(["HS-001"], result.Scenarios[0].UnexpectedPassKeys);
        Assert.Equal(["PS-001"], result.UnusedExpectations);
        Assert.True(result.Passed);
    }
}
