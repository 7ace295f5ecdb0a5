using Conformance.Engine.Running;
using Conformance.Mutants;

namespace Conformance.Mutants.Tests.SelfTest;

/// <summary>What the suite said about one mutation: every targeted scenario's result under it.</summary>
public sealed record MutationOutcome(Mutation Mutation, IReadOnlyList<ScenarioResult> Results, TimeSpan Duration, IReadOnlyList<Exception> ProxyFaults)
{
    /// <summary>Scenarios that passed through the transparent proxy and failed under this mutation.</summary>
    public IReadOnlyList<ScenarioResult> FailedAgainst(IReadOnlySet<string> baselinePassed) =>
        Results.Where(r => r.Status == ScenarioStatus.Failed && baselinePassed.Contains(r.Id)).ToList();

    public int Ran => Results.Count(r => r.Status is ScenarioStatus.Passed or ScenarioStatus.Failed);
}
