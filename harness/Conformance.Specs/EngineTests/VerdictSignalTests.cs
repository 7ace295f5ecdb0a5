using System.Diagnostics;
using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Conformance.Reports;
using Xunit;

namespace Conformance.Specs.EngineTests;

/// <summary>
/// Issue 10 §3 and §9 on the engine's self-test features: only the typed not-applicable signal skips; undefined steps
/// and any other exception fail (also in the CLI's record); a scenario past its deadline fails as "timed out in step".
/// </summary>
public sealed class VerdictSignalTests
{
    [Fact]
    public async Task The_typed_signal_skips_with_its_kind()
    {
        var result = await SelfTestFeatures.RunAsync("A step can skip the scenario");
        Assert.Equal(ScenarioStatus.Skipped, result.Status);
        Assert.Equal(NotApplicableKind.CapabilityAbsent, result.NotApplicable);
        Assert.Equal("no fixture here", result.Message);
    }

    [Fact]
    public async Task The_version_precheck_skips_as_version_not_spoken()
    {
        var result = await SelfTestFeatures.RunAsync("Only for protocol version 1");
        Assert.Equal((ScenarioStatus.Skipped, NotApplicableKind.VersionNotSpoken), (result.Status, result.NotApplicable));
    }

    [Fact]
    public async Task A_NotSupportedException_from_a_driver_fails_the_scenario()
    {
        var result = await SelfTestFeatures.RunAsync("A driver's NotSupportedException fails the scenario");
        Assert.Equal(ScenarioStatus.Failed, result.Status);
        Assert.Null(result.NotApplicable);
        Assert.Equal("NotSupportedException: no such option", result.Message);
        Assert.Equal("When the self-test driver throws NotSupportedException \"no such option\"", result.FailingStep);
        Assert.EndsWith("SelfTest/engine-errors.feature:8", result.FailingLocation);
    }

    [Fact]
    public async Task An_undefined_step_fails_the_CLI_record_with_the_step_and_its_line()
    {
        var scenario = SelfTestFeatures.Find("An undefined step is pending");
        var result = await SelfTestFeatures.RunAsync(scenario.Name);
        Assert.Equal(ScenarioStatus.Pending, result.Status);

        var record = EngineResultMapper.ToRecord(scenario, result, 2, DateTimeOffset.UtcNow);
        Assert.Equal(Outcome.Failed, record.Outcome);
        Assert.Null(record.SkipReason);
        Assert.StartsWith(EngineResultMapper.PendingStepPrefix + "When a step nobody has written yet (", record.Error);
        Assert.Contains("SelfTest/bridge.feature:19)", record.Error);
        Assert.Equal([Outcome.Passed, Outcome.Failed], record.Steps.Select(s => s.Outcome));
    }

    [Fact]
    public async Task A_step_cancelled_by_the_deadline_fails_as_timed_out_in_that_step()
    {
        var clock = Stopwatch.StartNew();
        var result = await SelfTestFeatures.RunAsync("A step that waits on the scenario's cancellation ends at the deadline", TimeSpan.FromSeconds(1));
        Assert.Equal(ScenarioStatus.Failed, result.Status);
        Assert.StartsWith("timed out after 1 s in step 'When the self-test step waits for the scenario's cancellation' (", result.Message);
        Assert.EndsWith("SelfTest/engine-errors.feature:12", result.FailingLocation);
        Assert.Equal("When the self-test step waits for the scenario's cancellation", result.FailingStep);
        // It honoured the cancellation: no grace period was needed (bound: the deadline plus scheduling slack).
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(750), ScenarioRunner.DeadlineGrace); // less 250 ms: coarse timer ticks (below)
    }

    [Fact]
    public async Task A_step_that_ignores_cancellation_is_abandoned_after_the_grace_period_with_the_transcript_so_far()
    {
        var clock = Stopwatch.StartNew();
        var result = await SelfTestFeatures.RunAsync("A step that ignores cancellation is abandoned after the deadline", TimeSpan.FromSeconds(1));
        Assert.Equal(ScenarioStatus.Failed, result.Status);
        Assert.StartsWith("timed out after 1 s in step 'When the self-test step hangs ignoring cancellation' (", result.Message);
        Assert.Contains("abandoned", result.Message);
        Assert.IsType<TimeoutException>(result.Exception);
        Assert.Contains("about to hang", result.Transcript);
        Assert.EndsWith("SelfTest/engine-errors.feature:16", result.FailingLocation);
        // Deadline + grace, and not much more (5 s of slack for a loaded 2-core machine). Lower bound less 250 ms: .NET
        // timers count whole milliseconds of a coarse tick, so two of them in a row can end a few ms before a Stopwatch
        // says they should (measured: 10.9957 s for 11 s).
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1) + ScenarioRunner.DeadlineGrace - TimeSpan.FromMilliseconds(250),
            TimeSpan.FromSeconds(1) + ScenarioRunner.DeadlineGrace + TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData(null, 60.0)]
    [InlineData("2.5", 2.5)]
    public void The_deadline_comes_from_SC_SCENARIO_TIMEOUT_and_scales_with_the_wait_scale_by_default(string? value, double seconds)
    {
        var settings = EngineSettings.FromEnvironment("/", name => name == EngineSettings.ScenarioTimeoutVariable ? value : null);
        Assert.Equal(TimeSpan.FromSeconds(seconds), settings.ScenarioTimeout);
        Assert.Equal(TimeSpan.FromSeconds(value is null ? 120 : seconds), (settings with { WaitScale = 2 }).ScenarioTimeout);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("abc")]
    [InlineData("7200")]
    public void A_bad_SC_SCENARIO_TIMEOUT_is_a_clear_error(string value)
    {
        var e = Assert.Throws<ArgumentException>(() =>
            EngineSettings.FromEnvironment("/", name => name == EngineSettings.ScenarioTimeoutVariable ? value : null));
        Assert.Equal($"SC_SCENARIO_TIMEOUT must be a number of seconds from 1 to 3600, got '{value}'", e.Message);
    }
}
