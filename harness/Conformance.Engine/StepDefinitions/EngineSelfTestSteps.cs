using Conformance.Engine.Running;
using Reqnroll;

namespace Conformance.Engine.StepDefinitions;

/// <summary>
/// Steps used only by the engine's own tests of the bridge (features tagged @engine-selftest, kept under
/// harness/Conformance.Specs/SelfTest, never in features/).
/// </summary>
[Binding, Scope(Tag = "engine-selftest")]
public sealed class EngineSelfTestSteps(ScenarioRun run)
{
    private int _value;

    [StepDefinition("the self-test value is {int}")]
    public void SetValue(int value) => _value = value;

    [StepDefinition("the self-test value is increased by {int}")]
    public void Increase(int by) => _value += by;

    [StepDefinition("the self-test value should be {int}")]
    public void Check(int expected)
    {
        if (_value != expected)
            throw new ConformanceAssertionException($"expected the self-test value {expected}, got {_value}");
    }

    [StepDefinition("the self-test scenario is skipped because {string}")]
    public void Skip(string reason) => throw new ScenarioSkippedException(NotApplicableKind.CapabilityAbsent, reason);

    [StepDefinition("the self-test driver throws NotSupportedException {string}")]
    public void DriverLacks(string message) => throw new NotSupportedException(message);

    [StepDefinition("the self-test step waits for the scenario's cancellation")]
    public Task WaitForCancellation() => Task.Delay(Timeout.Infinite, run.Cancellation);

    /// <summary>Never ends and ignores cancellation (the task is abandoned by the runner; it holds no resources).</summary>
    [StepDefinition("the self-test step hangs ignoring cancellation")]
    public Task HangIgnoringCancellation()
    {
        run.Transcript.Note("self-test", "about to hang");
        return new TaskCompletionSource().Task;
    }

    [StepDefinition("the self-test doc string has {int} lines:")]
    public void DocString(int lines, string text)
    {
        var count = text.Split('\n').Length;
        if (count != lines) throw new ConformanceAssertionException($"expected {lines} lines, got {count}");
    }
}
