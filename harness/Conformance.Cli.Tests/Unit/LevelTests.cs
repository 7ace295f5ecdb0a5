using Conformance.Reports;
using Xunit;
using static Conformance.Cli.Tests.Synthetic;

namespace Conformance.Cli.Tests.Unit;

public sealed class LevelTests
{
    [Fact]
    public void The_verified_level_is_the_highest_passed_level_with_no_failure_at_or_below_it()
    {
        var result = Evaluate([
            Scenario("features/a.feature:3", Outcome.Passed, "server", "v2", "L1", "HS-001"),
            Scenario("features/p.feature:3", Outcome.Passed, "server", "v2", "L3", "PS-001"),
            Scenario("features/u.feature:3", Outcome.Failed, "server", "v2", "L4", "EV-001"),
        ]);
        var level = Assert.Single(result.Levels);
        Assert.Equal(("server", 2, 3), (level.Subject, level.ProtocolVersion, level.Verified));
        Assert.Equal("L3 @ v2", level.Label);
        Assert.Contains("L4: 1 scenario(s) failed (EV-001)", level.Limit);
    }

    [Fact]
    public void A_level_without_scenarios_is_passed_over_when_a_higher_level_has_some()
    {
        // The server has no L2 scenarios: automatic reconnection is a client feature.
        var result = Evaluate([
            Scenario("features/a.feature:3", Outcome.Passed, "server", "v2", "L1", "HS-001"),
            Scenario("features/p.feature:3", Outcome.Passed, "server", "v2", "L3", "PS-001"),
        ]);
        Assert.Equal(3, result.Levels.Single().Verified);
        Assert.Null(result.Levels.Single().Limit);
    }

    [Fact]
    public void A_failure_at_L1_gives_none()
    {
        var result = Evaluate([
            Scenario("features/a.feature:3", Outcome.Failed, "server", "v2", "L1", "HS-001"),
            Scenario("features/p.feature:3", Outcome.Passed, "server", "v2", "L3", "PS-001"),
        ]);
        Assert.Equal("none @ v2", result.Levels.Single().Label);
    }

    [Fact]
    public void Expected_failures_keep_ci_green_but_still_block_the_level()
    {
        var expectations = Expectations.Parse("""{"implementation":"x","expectedFailures":{"PS-001":"known bug"}}""");
        var result = Evaluate([
            Scenario("features/a.feature:3", Outcome.Passed, "server", "v2", "L1", "HS-001"),
            Scenario("features/p.feature:3", Outcome.Failed, "server", "v2", "L3", "PS-001"),
        ], new GateOptions { Expectations = expectations });
        Assert.True(result.Passed);
        Assert.Equal(1, result.Levels.Single().Verified);
    }

    [Fact]
    public void Skipped_scenarios_block_the_level_they_belong_to()
    {
        var result = Evaluate([
            Scenario("features/a.feature:3", Outcome.Passed, "server", "v2", "L1", "HS-001"),
            Scenario("features/a.feature:9", Outcome.Skipped, "server", "v2", "L1", "EV-001"),
        ]);
        Assert.Equal(0, result.Levels.Single().Verified);
        Assert.Contains("skipped (fixture-app contract not offered)", result.Levels.Single().Limit);
    }

    [Fact]
    public void SHOULD_failures_block_a_level_only_under_strict()
    {
        var records = new[]
        {
            Scenario("features/a.feature:3", Outcome.Passed, "server", "v2", "L1", "HS-001"),
            Scenario("features/a.feature:9", Outcome.Failed, "server", "v2", "L1", "HS-002"),
        };
        Assert.Equal(1, Evaluate(records).Levels.Single().Verified);
        Assert.Equal(0, Evaluate(records, new GateOptions { Strict = true }).Levels.Single().Verified);
    }

    [Fact]
    public void Levels_are_per_subject_and_protocol_version_and_stop_at_the_claim()
    {
        var result = Evaluate([
            Scenario("features/a.feature:3", Outcome.Passed, "server", "v2", "L1", "HS-001"),
            Scenario("features/p.feature:3", Outcome.Passed, "server", "v2", "L3", "PS-001"),
            Scenario("features/a.feature:3", Outcome.Passed, "server", "v1", "L1", "HS-001"),
            Scenario("features/c.feature:7", Outcome.Passed, "client", "v2", "L1", "HS-001"),
        ], new GateOptions { ClaimedLevel = 2 });
        Assert.Equal(["server L1 @ v2", "server L1 @ v1", "csharp L1 @ v2"], result.Levels.Select(l => $"{l.Subject} {l.Label}"));
        Assert.Contains("not claimed", result.Levels[0].Limit);
    }
}
