using Conformance.Engine.Catalog;
using Conformance.Mutants;

namespace Conformance.Mutants.Tests.SelfTest;

/// <summary>Which scenarios the self-test runs for each mutation (protocol v2 only): server scenarios, or one driver's client rows.</summary>
public static class ScenarioSelection
{
    /// <summary>Server scenarios for protocol v2 (the proxy changes what a server does; client scenarios use the known-good server).</summary>
    public static IReadOnlyList<ScenarioCase> ServerScenarios(IEnumerable<ScenarioCase> all) =>
        all.Where(s => s.LoadError is null && s.HasTag("server") && s.HasTag("v2") && !s.HasTag("ignore")).ToList();

    /// <summary>
    /// Client scenarios for a protocol version (default v2), each as the case with <paramref name="driver"/> under test
    /// (a client mutant changes one driver; the client is a run dimension, ClientDimension).
    /// </summary>
    public static IReadOnlyList<ScenarioCase> ClientScenarios(IEnumerable<ScenarioCase> all, string driver, int protocolVersion = 2) =>
        ClientDimension.Expand(all.Where(s => s.Client is null).ToList(), [])
            .Where(s => s.LoadError is null && s.HasTag("client") && s.HasTag($"v{protocolVersion}") && !s.HasTag("ignore")
                && string.Equals(s.Client, driver, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>
    /// The scenarios tagged with a requirement the violation breaks, cheapest and most direct first: scenarios
    /// without @slow, then those tagged with the mutation's first (primary) requirement.
    /// </summary>
    public static IReadOnlyList<ScenarioCase> Targeted(Mutation mutation, IReadOnlyList<ScenarioCase> serverScenarios) =>
        Targeted(mutation.Breaks, serverScenarios);

    /// <summary>The scenarios tagged with one of <paramref name="breaks"/>, ordered as for a server mutation.</summary>
    public static IReadOnlyList<ScenarioCase> Targeted(IReadOnlyList<string> breaks, IReadOnlyList<ScenarioCase> scenarios) =>
        scenarios
            .Select(s => (s, rank: breaks.ToList().FindIndex(s.HasTag)))
            .Where(x => x.rank >= 0)
            .OrderBy(x => x.s.HasTag("slow"))
            .ThenBy(x => x.rank)
            .Select(x => x.s)
            .ToList();

    /// <summary>
    /// What a legal variation runs: every scenario that caught a violation (the variation must not trip the very
    /// checks that make the suite sharp) plus the first fast scenario of every feature file, for breadth.
    /// </summary>
    public static IReadOnlyList<ScenarioCase> ForLegal(IEnumerable<string> catcherIds, IReadOnlyList<ScenarioCase> serverScenarios)
    {
        var catchers = catcherIds.ToHashSet();
        // Not @exclusive floods either: tens of thousands of frames through the proxy's per-frame jitter measure the
        // proxy, not the variation (a flood's bounded wait is sized for a server, not a server behind a delaying relay).
        var perFeature = serverScenarios.Where(s => !s.HasTag("slow") && !s.HasTag("exclusive")).GroupBy(s => s.FeaturePath).Select(g => g.First().Id);
        catchers.UnionWith(perFeature);
        return serverScenarios.Where(s => catchers.Contains(s.Id)).ToList();
    }
}
