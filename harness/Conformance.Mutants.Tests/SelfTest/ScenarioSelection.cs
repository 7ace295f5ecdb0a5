using Conformance.Engine.Catalog;
using Conformance.Mutants;

namespace Conformance.Mutants.Tests.SelfTest;

/// <summary>Which scenarios the self-test runs for each mutation (server scenarios of the run's protocol version only).</summary>
public static class ScenarioSelection
{
    /// <summary>Server scenarios for protocol v2 (the proxy changes what a server does; client scenarios use the known-good server).</summary>
    public static IReadOnlyList<ScenarioCase> ServerScenarios(IEnumerable<ScenarioCase> all) =>
        all.Where(s => s.LoadError is null && s.HasTag("server") && s.HasTag("v2") && !s.HasTag("ignore")).ToList();

    /// <summary>
    /// A violation runs the scenarios tagged with the requirements it breaks. A legal variation runs every fast
    /// server scenario (none may notice the variation), which also exercises the suite's tolerance broadly.
    /// </summary>
    public static IReadOnlyList<ScenarioCase> For(Mutation mutation, IReadOnlyList<ScenarioCase> serverScenarios) =>
        mutation.IsLegal
            ? serverScenarios.Where(s => !s.HasTag("slow")).ToList()
            : serverScenarios.Where(s => mutation.Breaks.Any(s.HasTag)).ToList();
}
