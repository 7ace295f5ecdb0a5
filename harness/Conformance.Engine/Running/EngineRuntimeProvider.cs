using Reqnroll;
using Reqnroll.UnitTestProvider;

namespace Conformance.Engine.Running;

/// <summary>Reqnroll's unit-test runtime services, implemented without any test framework.</summary>
internal sealed class EngineRuntimeProvider : IUnitTestRuntimeProvider
{
    public void TestPending(string message) => throw new ScenarioPendingException(message);

    // Reqnroll's own "inconclusive" and "ignore" are not the engine's typed not-applicable signal: a scenario that gets
    // here has a pending or undefined step (missingOrPendingStepsOutcome) or a runtime-level ignore, and must not pass
    // silently as a skip (issue 10 §3).
    public void TestInconclusive(string message) => throw new ScenarioPendingException(message);

    public void TestIgnore(string message) => throw new ScenarioPendingException($"Reqnroll ignored the scenario: {message}");

    public ScenarioExecutionStatus? DetectExecutionStatus(Exception exception) => exception switch
    {
        // Only the typed signal skips; every other exception (NotSupportedException included) is a failure.
        ScenarioSkippedException => ScenarioExecutionStatus.Skipped,
        ScenarioPendingException => ScenarioExecutionStatus.StepDefinitionPending,
        _ => null,
    };
}
