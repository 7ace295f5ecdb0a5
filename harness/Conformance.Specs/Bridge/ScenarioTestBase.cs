using System.Text;
using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Xunit;

namespace Conformance.Specs.Bridge;

/// <summary>Runs one scenario through the engine and reports it to xunit (pass, skip, or an exception naming the step).</summary>
public abstract class ScenarioTestBase
{
    /// <summary>Scenarios whose requirements are all SHOULD hardening advice (features/STEPS.md tag table).</summary>
    public const string HardeningTag = "hardening";

    protected static async Task RunScenarioAsync(string id)
    {
        var scenario = ScenarioCatalog.Get(id);
        var settings = ConformanceSession.Current.Settings;
        if (TestScope.OutOfScope(scenario, settings) is { } why) Assert.Skip(why); // not recorded: out of scope, not untested
        var runner = new ScenarioRunner(ConformanceSession.Current);
        var result = await runner.RunAsync(scenario, TestContext.Current.CancellationToken);
        // Recorded for the "Conformance level" tests (and the reports when SC_REPORT_DIR is set); a scenario written for
        // another protocol version is not part of this run.
        if (scenario.HasTag($"v{settings.ProtocolVersion}"))
            Conformance.Reports.TestRunReports.Record(scenario, result, settings);

        var output = TestContext.Current.TestOutputHelper;
        if (output is not null)
        {
            output.WriteLine($"{scenario.Id}  ({result.Duration.TotalSeconds:0.000} s)  target: {ConformanceSession.Current.Settings.Describe()}");
            if (result.StepTrace.Length > 0) output.WriteLine(result.StepTrace);
            if (result.Status != ScenarioStatus.Passed && result.Transcript.Length > 0)
                output.WriteLine("Wire transcript:\n" + result.Transcript);
        }

        switch (result.Status)
        {
            case ScenarioStatus.Passed:
                return;
            case ScenarioStatus.Skipped:
                Assert.Skip(result.Message ?? "skipped");
                return;
            // Hardening advice (@hardening, SHOULD only; spec RB-034): the C# reference server must follow it, any other
            // server is reported (the CLI reports it as a SHOULD failure) rather than failed.
            case ScenarioStatus.Failed when scenario.HasTag(HardeningTag) && settings.Target is not RunTarget.EmbeddedSample:
                Assert.Skip($"hardening advice (SHOULD, @{HardeningTag}) not followed by {settings.Describe()}: {result.FailingStep}: {result.Message}");
                return;
            default:
                throw new ScenarioFailedException(Describe(result), result.Exception);
        }
    }

    private static string Describe(ScenarioResult result)
    {
        var text = new StringBuilder();
        // Pending or undefined steps fail too (never a skip): a typo in a feature must not silently remove a check.
        text.Append(result.Status == ScenarioStatus.Pending ? Conformance.Reports.EngineResultMapper.PendingStepPrefix : "Step failed: ")
            .Append(result.FailingStep ?? "(before the first step)")
            .Append(" (").Append(result.FailingLocation ?? result.Id).AppendLine(")");
        if (result.Message is not null) text.AppendLine(result.Message);
        if (Conformance.Reports.TranscriptText.ExpectedActual(result.Expected, result.Actual) is { } diff) text.AppendLine(diff);
        if (result.Transcript.Length > 0) text.AppendLine("Wire transcript:").Append(result.Transcript);
        return text.ToString();
    }
}

/// <summary>A failed scenario: the message names the step and feature:line and carries the wire transcript.</summary>
public sealed class ScenarioFailedException(string message, Exception? inner) : Exception(message, inner)
{
    // The inner exception's stack is the step's; the runner's frames add nothing.
    public override string? StackTrace => InnerException?.StackTrace;
}
