using Conformance.Reports;
using Xunit;
using static Conformance.Cli.Tests.Synthetic;

namespace Conformance.Cli.Tests.Unit;

/// <summary>spec/levels.md: a level is verified when every applicable MUST up to it passed.</summary>
public sealed class LevelTests
{
    private static ScenarioRecord[] AllPassing() =>
    [
        Scenario("features/a.feature:3", Outcome.Passed, "server", "v2", "L1", "HS-001"),
        Scenario("features/e.feature:3", Outcome.Passed, "server", "v2", "L1", "EV-001"),
        Scenario("features/p.feature:3", Outcome.Passed, "server", "v2", "L3", "PS-001"),
    ];

    [Fact]
    public void Every_applicable_MUST_passing_verifies_the_highest_level_that_has_MUSTs()
    {
        // L2 has no server requirement and L4 no MUST: the report says L3.
        var level = Assert.Single(Evaluate(AllPassing()).Levels);
        Assert.Equal(("server", 2, 3), (level.Subject, level.ProtocolVersion, level.Verified));
        Assert.Equal("L3 @ v2", level.Label);
        Assert.Null(level.Limit);
        Assert.Equal((3, 0, 0), (level.MustPassed, level.MustFailed, level.MustUntested));
    }

    [Fact]
    public void A_failed_MUST_stops_the_level_below_it()
    {
        var records = AllPassing();
        records[2] = records[2] with { Outcome = Outcome.Failed };
        var level = Evaluate(records).Levels.Single();
        Assert.Equal("L1 @ v2", level.Label);
        Assert.Equal("L3: MUST failed: PS-001", level.Limit);

        records[1] = records[1] with { Outcome = Outcome.Failed };
        Assert.Equal("none @ v2", Evaluate(records).Levels.Single().Label);
    }

    [Fact]
    public void A_level_none_of_whose_MUSTs_was_tested_is_not_reached()
    {
        var records = AllPassing();
        records[2] = records[2] with { Outcome = Outcome.Skipped };
        var level = Evaluate(records).Levels.Single();
        Assert.Equal("L1 @ v2", level.Label);
        Assert.False(level.Unverified);
        Assert.Equal("L3 unverified: 1 of 1 MUST untested: PS-001", level.Limit);
        Assert.Equal(1, level.MustUntested);
    }

    [Fact]
    public void A_level_no_selected_scenario_checks_is_out_of_scope_and_not_reached()
    {
        var level = Evaluate(AllPassing().Take(2)).Levels.Single();
        Assert.Equal("L1 @ v2", level.Label);
        Assert.Equal("L3: out of scope (no selected scenario checks its 1 MUST)", level.Limit);
        Assert.Equal(0, level.MustUntested);
        Assert.Equal(["PS-001"], level.OutOfScope);
    }

    [Fact]
    public void An_untested_MUST_leaves_the_level_unverified_but_reached()
    {
        // EV-001 was skipped: nothing failed up to L3, but L1 is not fully verified.
        var records = AllPassing();
        records[1] = records[1] with { Outcome = Outcome.Skipped };
        var level = Evaluate(records).Levels.Single();
        Assert.Equal("L3 @ v2 unverified", level.Label);
        Assert.Equal((0, 3), (level.Verified, level.Reached));
        Assert.Equal(["EV-001"], level.Untested);
        Assert.Null(level.Limit);
    }

    [Fact]
    public void A_MUST_fails_if_any_of_its_scenarios_failed_even_when_others_passed()
    {
        var records = AllPassing().Append(Scenario("features/e.feature:9", Outcome.Failed, "server", "v2", "L1", "EV-001"));
        Assert.Equal("L1: MUST failed: EV-001", Evaluate(records).Levels.Single().Limit);
    }

    [Fact]
    public void Expected_failures_keep_ci_green_but_still_block_the_level()
    {
        var records = AllPassing();
        records[2] = records[2] with { Outcome = Outcome.Failed };
        var result = Evaluate(records, new GateOptions { Expectations = Expectations.Parse("""{"expectedFailures":{"PS-001":"known bug"}}""") });
        Assert.True(result.Passed);
        Assert.Equal("L1 @ v2", result.Levels.Single().Label);
    }

    [Fact]
    public void SHOULD_failures_are_warnings_and_never_change_the_level()
    {
        var records = AllPassing().Append(Scenario("features/a.feature:9", Outcome.Failed, "server", "v2", "L1", "HS-002")).ToArray();
        foreach (var strict in new[] { false, true })
        {
            var level = Evaluate(records, new GateOptions { Strict = strict }).Levels.Single();
            Assert.Equal("L3 @ v2", level.Label);
            Assert.Equal(["HS-002"], level.ShouldWarnings);
        }
    }

    [Fact]
    public void Levels_stop_at_the_claim()
    {
        var level = Evaluate(AllPassing(), new GateOptions { ClaimedLevel = 2 }).Levels.Single();
        Assert.Equal("L1 @ v2", level.Label);
        Assert.Equal("L3 and above not claimed (--level L2)", level.Limit);
        Assert.Equal(2, level.MustPassed);
    }

    [Fact]
    public void Levels_are_per_subject_and_version_and_only_applicable_requirements_count()
    {
        var result = Evaluate([
            .. AllPassing(),
            // v1: HS-001 passes but EV-001 (Versions 1, 2) was skipped at v1.
            Scenario("features/a.feature:3", Outcome.Passed, "server", "v1", "L1", "HS-001"),
            Scenario("features/e.feature:3", Outcome.Skipped, "server", "v1", "L1", "EV-001"),
            // A client driver: RC-001 (Role client) applies, the server's requirements do not.
            Scenario("features/c.feature:7", Outcome.Passed, "client", "v2", "L2", "RC-001"),
        ]);
        Assert.Equal(["server L3 @ v2", "server L1 @ v1 unverified", "csharp L2 @ v2"], result.Levels.Select(l => $"{l.Subject} {l.Label}"));
        Assert.Equal(["EV-001"], result.Levels[1].Untested);
        Assert.Equal("L3: out of scope (no selected scenario checks its 1 MUST)", result.Levels[1].Limit);
        Assert.Equal(["server @ v1: 1 MUST untested because fixture-app contract not offered (EV-001)"], result.UntestedLines());
    }

    [Fact]
    public void Without_a_catalog_no_level_is_claimed()
    {
        var result = Evaluator.Evaluate(AllPassing(), RequirementCatalog.Empty, new GateOptions());
        Assert.Equal("none @ v2", result.Levels.Single().Label);
        Assert.Contains("no requirement catalog", result.Levels.Single().Limit);
    }

    [Theory]
    [InlineData("server", "server", true)]
    [InlineData("both", "server", true)]
    [InlineData("client", "server", false)]
    [InlineData("client", "csharp", true)]
    [InlineData("both", "chromium", true)]
    [InlineData("server", "node", false)]
    public void Roles_decide_applicability(string role, string subject, bool expected) =>
        Assert.Equal(expected, Levels.Applies(new Requirement("X-001", "", RequirementLevel.Must, role, [2], 1, ""), subject, 2));

    [Theory]
    [InlineData("server", false, false)]
    [InlineData("server", true, true)]
    [InlineData("csharp", true, false)]
    public void Cluster_requirements_bind_the_server_of_a_cluster_run_only(string subject, bool clusterRun, bool expected) =>
        Assert.Equal(expected, Levels.Applies(new Requirement("CL-001", "", RequirementLevel.Must, "cluster", [2], 3, ""), subject, 2, clusterRun));
}
