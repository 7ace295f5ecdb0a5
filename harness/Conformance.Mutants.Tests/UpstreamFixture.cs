using Conformance.Mutants;
using SocketCluster.Sample;

[assembly: AssemblyFixture(typeof(Conformance.Mutants.Tests.UpstreamFixture))]

namespace Conformance.Mutants.Tests;

/// <summary>
/// One known-good upstream server shared by every test: the embedded C# reference sample by default, or the
/// official Node fixture server with MUTANTS_UPSTREAM=node. Both implement the fixture-app contract with the
/// same short timings (ping interval 1000 ms, ping timeout 3000 ms, ack timeout 2000 ms).
/// </summary>
public sealed class UpstreamFixture : IAsyncLifetime
{
    private IAsyncDisposable? _server;

    public Uri BaseUri { get; private set; } = null!;

    public string Description { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var choice = Environment.GetEnvironmentVariable("MUTANTS_UPSTREAM") is { Length: > 0 } v ? v.Trim().ToLowerInvariant() : "sample";
        switch (choice)
        {
            case "node":
                var node = await NodeFixtureServer.StartAsync();
                (_server, BaseUri, Description) = (node, node.BaseUri, "official socketcluster-server 20.0.1 (Node fixture)");
                break;
            case "sample":
                var sample = await SampleServer.StartAsync(new SampleServerOptions());
                (_server, BaseUri, Description) = (sample, new Uri($"ws://127.0.0.1:{sample.Port}"), "C# reference sample (embedded)");
                break;
            default:
                throw new InvalidOperationException($"MUTANTS_UPSTREAM must be 'sample' or 'node', got '{choice}'.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
