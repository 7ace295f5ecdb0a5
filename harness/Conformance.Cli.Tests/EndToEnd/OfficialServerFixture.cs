using Conformance.JsHosts;
using Xunit;

[assembly: AssemblyFixture(typeof(Conformance.Cli.Tests.EndToEnd.OfficialServerFixture))]

namespace Conformance.Cli.Tests.EndToEnd;

/// <summary>
/// The official Node fixture server (js-client-fixtures/fixture-server.js, socketcluster-server 20.0.1), started once
/// for the end-to-end tests (`npm ci` first when node_modules is missing). It exits when its stdin closes.
/// </summary>
public sealed class OfficialServerFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _start = new(1, 1);
    private NodeFixtureServer? _server;

    /// <summary>Starts the server on first use, so unit-test-only runs never need node.</summary>
    public async Task<Uri> BaseUriAsync()
    {
        await _start.WaitAsync();
        try
        {
            if (_server is null)
            {
                await Conformance.Engine.Support.NodePackages.EnsureInstalledAsync(RepoPaths.JsClientFixtures);
                _server = await NodeFixtureServer.StartAsync("fixture-server.js", [], TimeSpan.FromSeconds(60));
            }
            return _server.BaseUri;
        }
        finally { _start.Release(); }
    }

    public async Task<Uri> EndpointAsync() => new(await BaseUriAsync(), "/socketcluster/");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
