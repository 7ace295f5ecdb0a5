using Conformance.Mutants;

[assembly: AssemblyFixture(typeof(Conformance.Mutants.Tests.UpstreamFixture))]

namespace Conformance.Mutants.Tests;

/// <summary>One known-good upstream server (the official Node fixture server) shared by every test.</summary>
public sealed class UpstreamFixture : IAsyncLifetime
{
    private NodeFixtureServer? _node;

    public Uri BaseUri => _node?.BaseUri ?? throw new InvalidOperationException("The upstream server is not started.");

    public async ValueTask InitializeAsync() => _node = await NodeFixtureServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_node is not null) await _node.DisposeAsync();
    }
}
