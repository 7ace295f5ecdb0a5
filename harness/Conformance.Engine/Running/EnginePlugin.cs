using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Reqnroll.Plugins;
using Reqnroll.Tracing;
using Reqnroll.UnitTestProvider;

[assembly: RuntimePlugin(typeof(EnginePlugin))]

namespace Conformance.Engine.Running;

/// <summary>
/// The engine's own Reqnroll runtime plugin. It lives in the engine assembly, which is also the assembly handed to
/// TestRunnerManager, so Reqnroll finds it and the [Binding] classes whichever host runs the scenarios.
/// </summary>
public sealed class EnginePlugin : IRuntimePlugin
{
    private const string ProviderName = "conformance-engine";

    public void Initialize(RuntimePluginEvents runtimePluginEvents, RuntimePluginParameters runtimePluginParameters,
        UnitTestProviderConfiguration unitTestProviderConfiguration)
    {
        unitTestProviderConfiguration.UseUnitTestProvider(ProviderName);
        runtimePluginEvents.RegisterGlobalDependencies += (_, e) =>
            e.ObjectContainer.RegisterTypeAs<EngineRuntimeProvider, IUnitTestRuntimeProvider>(ProviderName);
        runtimePluginEvents.CustomizeTestThreadDependencies += (_, e) =>
            e.ObjectContainer.RegisterTypeAs<RunTraceListener, ITraceListener>();
        runtimePluginEvents.CustomizeScenarioDependencies += (_, e) =>
        {
            // The runner creates the per-scenario run state; steps and hooks get it (and what it holds) by injection.
            var run = ScenarioRun.Current
                ?? throw new InvalidOperationException("Scenarios must be started through Conformance.Engine.Running.ScenarioRunner.");
            e.ObjectContainer.RegisterInstanceAs(run);
            e.ObjectContainer.RegisterInstanceAs(run.Session);
            e.ObjectContainer.RegisterInstanceAs(run.Transcript);
        };
    }
}

/// <summary>Writes Reqnroll's step trace into the running scenario's result.</summary>
internal sealed class RunTraceListener : ITraceListener
{
    public void WriteTestOutput(string message) => ScenarioRun.Current?.AppendTrace(message);

    public void WriteToolOutput(string message) => ScenarioRun.Current?.AppendTrace("-> " + message);
}
