using Conformance.Reports;
using Xunit;
using static Conformance.Cli.Tests.Synthetic;

namespace Conformance.Cli.Tests.Unit;

public sealed class EvaluatorTests
{
    [Fact]
    public void A_failed_MUST_is_FAIL_and_fails_the_run()
    {
        var result = Evaluate([
            Scenario("features/a.feature:3", Outcome.Passed, "server", "v2", "L1", "HS-001"),
            Scenario("features/a.feature:9", Outcome.Failed, "server", "v2", "L1", "EV-001"),
        ]);
        Assert.Equal(Verdict.Pass, result.Scenarios[0].Verdict);
        Assert.Equal(Verdict.Fail, result.Scenarios[1].Verdict);
        Assert.True(result.Scenarios[1].FailsRun);
        Assert.False(result.Passed);
        Assert.Equal(ExitCodes.Failures, result.ExitCode);
        Assert.Contains("EV-001", result.Reason);
        Assert.Equal(Verdict.Fail, result.Requirements.Single(r => r.Id == "EV-001").Verdict);
        Assert.Equal(Verdict.Pass, result.Requirements.Single(r => r.Id == "HS-001").Verdict);
    }

    [Fact]
    public void A_failed_SHOULD_is_NON_STRICT_and_fails_the_run_only_when_strict()
    {
        var records = new[] { Scenario("features/a.feature:3", Outcome.Failed, "server", "v2", "L1", "HS-002") };
        var lenient = Evaluate(records);
        Assert.Equal(Verdict.NonStrict, lenient.Scenarios[0].Verdict);
        Assert.Equal(ExitCodes.Success, lenient.ExitCode);

        var strict = Evaluate(records, new GateOptions { Strict = true });
        Assert.Equal(Verdict.NonStrict, strict.Scenarios[0].Verdict);
        Assert.Equal(ExitCodes.Failures, strict.ExitCode);
    }

    [Fact]
    public void The_strongest_requirement_decides_a_scenario_and_each_requirement_keeps_its_own_level()
    {
        var result = Evaluate([Scenario("features/a.feature:3", Outcome.Failed, "server", "v2", "L1", "HS-002", "HS-001")]);
        Assert.Equal(Verdict.Fail, result.Scenarios[0].Verdict);
        Assert.Equal(Verdict.Fail, result.Requirements.Single(r => r.Id == "HS-001").Verdict);
        Assert.Equal(Verdict.NonStrict, result.Requirements.Single(r => r.Id == "HS-002").Verdict);
    }

    [Fact]
    public void An_informational_failure_never_fails_the_run()
    {
        var result = Evaluate([Scenario("features/a.feature:3", Outcome.Failed, "server", "v2", "L4", "AU-001")], new GateOptions { Strict = true });
        Assert.Equal(Verdict.Informational, result.Scenarios[0].Verdict);
        Assert.True(result.Passed);
    }

    [Fact]
    public void An_unknown_requirement_id_counts_as_MUST()
    {
        var result = Evaluate([Scenario("features/a.feature:3", Outcome.Failed, "server", "v2", "L1", "ZZ-123")]);
        Assert.Equal(Verdict.Fail, result.Scenarios[0].Verdict);
        Assert.Null(result.Requirements.Single().Requirement);
        Assert.False(result.Passed);
    }

    [Fact]
    public void Without_requirement_tags_strength_tags_decide_and_the_default_is_MUST()
    {
        Assert.Equal(Verdict.NonStrict, Evaluate([Scenario("features/a.feature:3", Outcome.Failed, "should", "v2")]).Scenarios[0].Verdict);
        Assert.Equal(Verdict.Fail, Evaluate([Scenario("features/a.feature:3", Outcome.Failed, "v2")]).Scenarios[0].Verdict);
    }

    [Fact]
    public void Skipped_scenarios_keep_their_reason_and_do_not_fail_the_run()
    {
        var result = Evaluate([Scenario("features/a.feature:3", Outcome.Skipped, "server", "v2", "L1", "HS-001")]);
        Assert.Equal(Verdict.Skipped, result.Scenarios[0].Verdict);
        Assert.Equal("fixture-app contract not offered", result.Scenarios[0].Reason);
        Assert.True(result.Passed);
        Assert.Equal(Verdict.Skipped, result.Requirements.Single().Verdict);
    }

    [Fact]
    public void Scenarios_above_the_claimed_level_are_UNIMPLEMENTED_even_if_they_failed()
    {
        var result = Evaluate([
            Scenario("features/a.feature:3", Outcome.Passed, "server", "v2", "L1", "HS-001"),
            Scenario("features/p.feature:3", Outcome.Failed, "server", "v2", "L3", "PS-001"),
            Scenario("features/p.feature:9", Outcome.NotRun, "server", "v2", "L3", "PS-001"),
        ], new GateOptions { ClaimedLevel = 2 });
        Assert.Equal(Verdict.Unimplemented, result.Scenarios[1].Verdict);
        Assert.Equal(Verdict.Unimplemented, result.Scenarios[2].Verdict);
        Assert.Equal("level L3 is not claimed", result.Scenarios[1].Reason);
        Assert.True(result.Passed);
        Assert.Equal(Verdict.Unimplemented, result.Requirements.Single(r => r.Id == "PS-001").Verdict);
    }

    [Fact]
    public void Area_summaries_count_scenarios_by_the_area_of_their_first_requirement()
    {
        var result = Evaluate([
            Scenario("features/a.feature:3", Outcome.Passed, "server", "v2", "L1", "HS-001"),
            Scenario("features/a.feature:5", Outcome.Failed, "server", "v2", "L1", "HS-002"),
            Scenario("features/e.feature:3", Outcome.Failed, "server", "v2", "L1", "EV-001"),
        ]);
        var hs = result.AreaSummaries.Single(a => a.Area == "HS");
        Assert.Equal(1, hs.Counts[Verdict.Pass]);
        Assert.Equal(1, hs.Counts[Verdict.NonStrict]);
        Assert.Equal((1, 2), (hs.RequirementsPassed, hs.RequirementsTotal));
        Assert.Equal(1, result.AreaSummaries.Single(a => a.Area == "EV").Counts[Verdict.Fail]);
        Assert.Equal(["HS", "EV"], result.AreaSummaries.Select(a => a.Area));
        Assert.Equal(3, result.Counts.Values.Sum());
    }
}
