using Reqnroll;
using Reqnroll.UnitTestProvider;

namespace Conformance.Engine.Running;

/// <summary>Reqnroll's unit-test runtime services, implemented without any test framework.</summary>
internal sealed class EngineRuntimeProvider : IUnitTestRuntimeProvider
{
    public void TestPending(string message) => throw new ScenarioPendingException(message);

    public void TestInconclusive(string message) => throw new ScenarioSkippedException(message);

    public void TestIgnore(string message) => throw new ScenarioSkippedException(message);

    public ScenarioExecutionStatus? DetectExecutionStatus(Exception exception) => exception switch
    {
        ScenarioSkippedException => ScenarioExecutionStatus.Skipped,
        // A driver that cannot perform a step (e.g. an option the client lacks) makes the scenario not applicable, not passed.
        NotSupportedException => ScenarioExecutionStatus.Skipped,
        ScenarioPendingException => ScenarioExecutionStatus.StepDefinitionPending,
        _ => null,
    };
}
