using Conformance.JsHosts;

namespace Conformance.JsHosts.Tests;

/// <summary>One fixture server (protocol v2) shared by the tests of a class.</summary>
public sealed class NodeFixtureServerFixture : IAsyncLifetime
{
    NodeFixtureServer? _server;

    public NodeFixtureServer Server => _server ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() => _server = await NodeFixtureServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
