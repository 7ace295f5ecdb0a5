namespace Conformance.Mutants;

public enum MutationKind
{
    /// <summary>A deliberate protocol violation: at least one targeted scenario must fail.</summary>
    Violation,

    /// <summary>A legal variation (batching, whitespace, key order...): no scenario may fail.</summary>
    Legal,
}

/// <summary>
/// A named change applied by the proxy to every connection.
/// </summary>
/// <param name="Id">Stable kebab-case id, e.g. "handshake-missing-rid".</param>
/// <param name="Description">What the broken (or legally varied) server does differently.</param>
/// <param name="Kind">Violation or legal variation.</param>
/// <param name="Breaks">The requirement IDs (spec/requirements.md) the violation breaks; for a legal variation,
/// the requirement IDs whose scenarios it is run against.</param>
/// <param name="CreateSession">Creates the per-connection behaviour.</param>
public sealed record Mutation(string Id, string Description, MutationKind Kind, IReadOnlyList<string> Breaks, Func<MutationSession> CreateSession)
{
    public bool IsLegal => Kind == MutationKind.Legal;

    public override string ToString() => Id;
}
