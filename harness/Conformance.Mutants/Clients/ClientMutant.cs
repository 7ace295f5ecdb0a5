namespace Conformance.Mutants.Clients;

/// <summary>How a client mutant misbehaves.</summary>
public enum ClientMutantMechanism
{
    /// <summary>
    /// The unmodified client, behind a proxy that rewrites what the client sends (pongs, cids, rids, frame kinds):
    /// <see cref="ClientMutant.CreateWireSession"/>. Works the same for every client driver.
    /// </summary>
    Wire,

    /// <summary>
    /// A patched client, for what a proxy cannot fake (timers, backoff, resubscription, event delivery):
    /// <see cref="ClientMutant.Behaviour"/> names a test-only fault of the C# reference client
    /// (reference/SocketCluster.Client/ClientFaults.cs) or a monkey-patch of the official JS client
    /// (js-client-fixtures/driver/client-mutants.mjs).
    /// </summary>
    Behaviour,
}

/// <summary>
/// A deliberately broken client: one client driver ("csharp" or "node") made to violate the client MUSTs
/// <see cref="Breaks"/> (spec/requirements.md). The self-test runs the client scenarios tagged with those IDs, with
/// that driver as the client under test only, and expects at least one to fail while it passes with the unmodified driver.
/// </summary>
/// <param name="Id">"driver/kebab-name", e.g. "csharp/no-pong".</param>
public sealed record ClientMutant(string Id, string Driver, string Description, IReadOnlyList<string> Breaks,
    ClientMutantMechanism Mechanism, string? Behaviour, Func<MutationSession>? CreateWireSession)
{
    /// <summary>The protocol version of the scenarios (and known-good server) the mutant is run against: 2, or 1 for v1-only faults.</summary>
    public int ProtocolVersion { get; init; } = 2;

    public override string ToString() => Id;
}
