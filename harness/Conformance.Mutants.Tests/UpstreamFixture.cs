using Conformance.JsHosts;
using Conformance.Mutants;
using SocketCluster.Sample.Fixture;

[assembly: AssemblyFixture(typeof(Conformance.Mutants.Tests.UpstreamFixture))]

namespace Conformance.Mutants.Tests;

/// <summary>A running known-good server behind the proxies.</summary>
public sealed record Upstream(Uri BaseUri, string Description, IAsyncDisposable Server) : IAsyncDisposable
{
    /// <summary>
    /// Starts the embedded C# reference sample (default) or, with MUTANTS_UPSTREAM=node, the official Node fixture
    /// server. Both implement the fixture-app contract with the same short timings (ping interval 1000 ms, ping
    /// timeout 3000 ms, ack timeout 2000 ms).
    /// </summary>
    public static async Task<Upstream> StartAsync()
    {
        var choice = Environment.GetEnvironmentVariable("MUTANTS_UPSTREAM") is { Length: > 0 } v ? v.Trim().ToLowerInvariant() : "sample";
        switch (choice)
        {
            case "node":
                var node = await NodeFixtureServer.StartAsync();
                return new Upstream(node.BaseUri, "official socketcluster-server 20.0.1 (Node fixture)", node);
            case "sample":
                var sample = await SampleServer.StartAsync();
                return new Upstream(new Uri($"ws://127.0.0.1:{sample.Port}"), "C# reference sample (embedded)", sample);
            default:
                throw new InvalidOperationException($"MUTANTS_UPSTREAM must be 'sample' or 'node', got '{choice}'.");
        }
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

/// <summary>One known-good upstream server shared by the proxy's end-to-end tests.</summary>
public sealed class UpstreamFixture : IAsyncLifetime
{
    private Upstream? _upstream;

    public Uri BaseUri => _upstream?.BaseUri ?? throw new InvalidOperationException("The upstream server is not started.");

    public async ValueTask InitializeAsync() => _upstream = await Upstream.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_upstream is not null) await _upstream.DisposeAsync();
    }
}
