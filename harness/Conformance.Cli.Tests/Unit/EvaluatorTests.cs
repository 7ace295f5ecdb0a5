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
    public void Skipped_scenarios_keep_their_reason_and_leave_the_run_INCOMPLETE_not_failed()
    {
        var result = Evaluate([Scenario("features/a.feature:3", Outcome.Skipped, "server", "v2", "L1", "HS-001")]);
        Assert.Equal(Verdict.Skipped, result.Scenarios[0].Verdict);
        Assert.Equal("fixture-app contract not offered", result.Scenarios[0].Reason);
        Assert.Equal(RunVerdict.Incomplete, result.RunVerdict);
        Assert.Equal(ExitCodes.Incomplete, result.ExitCode);
        Assert.Equal("INCOMPLETE", result.VerdictLabel);
        Assert.Equal(Verdict.Skipped, result.Requirements.Single().Verdict);
        Assert.Equal(["server: 1 MUST untested because fixture-app contract not offered (HS-001)"], result.UntestedLines());
    }

    [Fact]
    public void Allow_untested_turns_INCOMPLETE_into_a_pass_but_the_level_stays_unverified()
    {
        var records = new[]
        {
            Scenario("features/a.feature:3", Outcome.Passed, "server", "v2", "L1", "HS-001"),
            Scenario("features/e.feature:3", Outcome.Skipped, "server", "v2", "L1", "EV-001"),
        };
        Assert.Equal(ExitCodes.Incomplete, Evaluate(records).ExitCode);
        var allowed = Evaluate(records, new GateOptions { AllowUntested = true });
        Assert.Equal(ExitCodes.Success, allowed.ExitCode);
        Assert.True(allowed.Passed);
        Assert.Equal("L1 @ v2 unverified", allowed.Levels.Single().Label);
        Assert.Contains("--allow-untested", allowed.Reason);
    }

    [Fact]
    public void FAIL_wins_over_INCOMPLETE()
    {
        var result = Evaluate([
            Scenario("features/a.feature:3", Outcome.Failed, "server", "v2", "L1", "HS-001"),
            Scenario("features/e.feature:3", Outcome.Skipped, "server", "v2", "L1", "EV-001"),
        ]);
        Assert.Equal(RunVerdict.Failed, result.RunVerdict);
        Assert.Equal(ExitCodes.Failures, result.ExitCode);
        Assert.Contains("untested", result.Reason);
    }

    [Fact]
    public void A_requirement_passes_only_when_every_scenario_and_row_that_checks_it_ran_and_passed()
    {
        // §2 of issue 10: one passed row and one skipped row leave EV-001 untested, not passed.
        var result = Evaluate([
            Scenario("features/a.feature:3", Outcome.Passed, "server", "v2", "L1", "HS-001"),
            Scenario("features/e.feature:3", Outcome.Passed, "server", "v2", "L1", "EV-001"),
            Scenario("features/e.feature:12", Outcome.Skipped, "server", "v2", "L1", "EV-001"),
        ]);
        Assert.Equal(Verdict.Skipped, result.Requirements.Single(r => r.Id == "EV-001").Verdict);
        Assert.Equal(["EV-001"], result.Levels.Single().Untested);
        Assert.Equal("L1 @ v2 unverified", result.Levels.Single().Label);
        Assert.Equal(ExitCodes.Incomplete, result.ExitCode);
    }

    [Fact]
    public void Require_level_fails_the_run_when_any_subject_is_below_it()
    {
        var records = new[]
        {
            Scenario("features/a.feature:3", Outcome.Passed, "server", "v2", "L1", "HS-001"),
            Scenario("features/e.feature:3", Outcome.Passed, "server", "v2", "L1", "EV-001"),
            Scenario("features/p.feature:3", Outcome.Passed, "server", "v2", "L3", "PS-001"),
            Scenario("features/c.feature:3", Outcome.Passed, "client", "v2", "L2", "RC-001"),
        };
        Assert.Equal(ExitCodes.Success, Evaluate(records, new GateOptions { RequiredLevel = 2 }).ExitCode);
        var l3 = Evaluate(records, new GateOptions { RequiredLevel = 3 });
        Assert.Equal(ExitCodes.Failures, l3.ExitCode);
        Assert.Equal(["csharp: verified L2 @ v2, below the required L3"], l3.RequiredLevelLines());
        Assert.Contains("below the required L3: csharp L2 @ v2", l3.Reason);
    }

    [Fact]
    public void Requirements_no_selected_scenario_checks_are_out_of_scope_not_untested()
    {
        // As after --tags @L1: PS-001 (L3) has no scenario in the run.
        var result = Evaluate([
            Scenario("features/a.feature:3", Outcome.Passed, "server", "v2", "L1", "HS-001"),
            Scenario("features/e.feature:3", Outcome.Passed, "server", "v2", "L1", "EV-001"),
        ]);
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(["PS-001"], result.Levels.Single().OutOfScope);
        Assert.Equal(1, result.OutOfScopeCount);
        Assert.Contains("1 MUST out of scope", result.Reason);
        Assert.Equal("L1 @ v2", result.Levels.Single().Label);
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

    [Fact]
    public void Area_summaries_are_per_subject_so_a_client_s_untested_requirements_stay_visible()
    {
        var result = Evaluate([
            Scenario("features/a.feature:3", Outcome.Passed, "server", "v2", "L1", "TR-005"),
            Scenario("features/c.feature:3", Outcome.Passed, "client", "v2", "L1", "TR-005"),
            Scenario("features/c.feature:4", Outcome.Skipped, "client", "v2", "L2", "RC-001") with { Subject = "chromium" },
            Scenario("features/c.feature:5", Outcome.Skipped, "client", "v2", "L1", "TR-005") with { Subject = "chromium" },
        ]);
        Assert.Equal(["server TR 1/1", "chromium TR 0/1", "chromium RC 0/1", "csharp TR 1/1"],
            result.AreaSummaries.Select(a => $"{a.Subject} {a.Area} {a.RequirementsPassed}/{a.RequirementsTotal}"));
        Assert.Equal(1, result.AreaSummaries.Single(a => a.Subject == "chromium" && a.Area == "RC").Counts[Verdict.Skipped]);
    }
}
