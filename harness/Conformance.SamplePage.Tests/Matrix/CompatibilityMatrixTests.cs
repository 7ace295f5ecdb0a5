using Conformance.JsHosts;
using Conformance.JsHosts.Chromium;
using SocketCluster.Sample.Fixture;
using SocketCluster.Server.Options;

namespace Conformance.SamplePage.Tests.Matrix;

/// <summary>
/// Clients {C# reference, official JS 20.0.2 in Chromium / Jint / Node, official JS 14.3.2 under Node} × servers
/// {C# sample in v2 and v1, official Node fixture 20.0.1 in v2 and v1, v14 fixture 14.7.2 (v1 only)}: runs
/// <see cref="SeedChecks"/> in every cell whose client speaks the server's protocol version (the client is then
/// configured with that version: the 20.0.2 client and the C# client with protocolVersion 1 for a v1 server),
/// writes docs/compatibility-matrix.{md,json}, and requires every applicable cell to pass every check.
/// </summary>
[Collection("browser and servers")] // one at a time on a shared 2-core machine
public sealed class CompatibilityMatrixTests(ITestOutputHelper output)
{
    static readonly MatrixEndpoint[] Clients =
    [
        new("csharp", "C# reference client", 2, 1),
        new("chromium", "official JS 20.0.2 in Chromium", 2, 1),
        new("jint", "official JS 20.0.2 in Jint", 2, 1),
        new("node", "official JS 20.0.2 under Node", 2, 1),
        new("node-v14", "official JS 14.3.2 under Node", 1),
    ];

    static readonly MatrixEndpoint[] Servers =
    [
        new("csharp-sample", "C# reference sample (v2)", 2),
        new("csharp-sample-v1", "C# reference sample (v1)", 1),
        new("node-20.0.1", "official Node fixture 20.0.1 (v2)", 2),
        new("node-20.0.1-v1", "official Node fixture 20.0.1 (v1)", 1),
        new("node-14.7.2", "v14 fixture 14.7.2 (v1)", 1),
    ];

    static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_client_passes_the_seed_checks_against_every_server_it_applies_to()
    {
        var cells = new List<MatrixCell>();
        try
        {
            foreach (var server in Servers)
            {
                await using var running = await StartServerAsync(server.Id);
                foreach (var client in Clients)
                {
                    int protocolVersion = server.ProtocolVersions.Single();
                    if (!client.Speaks(protocolVersion))
                    {
                        cells.Add(new MatrixCell(client.Id, server.Id, NotApplicableReason(client, server), []));
                        continue;
                    }
                    var results = await RunCellAsync(client.Id, running.Port, protocolVersion);
                    var cell = new MatrixCell(client.Id, server.Id, null, results);
                    output.WriteLine($"{client.Id} × {server.Id}: {cell.Summary}");
                    foreach (var r in results.Where(r => !r.Passed)) output.WriteLine($"  {r.Id}: {r.Detail}");
                    cells.Add(cell);
                }
            }
        }
        finally
        {
            await ChromiumBrowser.ShutdownAsync();
        }

        var checks = SeedChecks.All(0);
        Directory.CreateDirectory(RepoPaths.Docs);
        string md = MatrixWriter.ToMarkdown(Clients, Servers, checks, cells);
        await File.WriteAllTextAsync(Path.Combine(RepoPaths.Docs, "compatibility-matrix.md"), md, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(RepoPaths.Docs, "compatibility-matrix.json"), MatrixWriter.ToJson(Clients, Servers, checks, cells), TestContext.Current.CancellationToken);
        output.WriteLine(md);

        Assert.Equal(Clients.Length * Servers.Length, cells.Count);
        // Only the 14.3.2 client (v1 only) against a v2 server has no shared protocol version: every other pair runs.
        Assert.Equal(["node-v14 × csharp-sample", "node-v14 × node-20.0.1"],
            cells.Where(c => c.NotApplicable is not null).Select(c => $"{c.Client} × {c.Server}"));
        Assert.All(cells.Where(c => c.NotApplicable is null), c =>
            Assert.True(c.Passed == checks.Count, $"{c.Client} × {c.Server}: {c.Summary}; " +
                string.Join("; ", c.Checks.Where(k => !k.Passed).Select(k => $"{k.Id}: {k.Detail}"))));
    }

    static string NotApplicableReason(MatrixEndpoint client, MatrixEndpoint server) =>
        $"{client.Description} speaks protocol {string.Join(" and ", client.ProtocolVersions.Select(v => $"v{v}"))}; " +
        $"the server runs protocol v{server.ProtocolVersions.Single()}";

    async Task<List<CheckResult>> RunCellAsync(string clientId, int port, int protocolVersion)
    {
        var checks = SeedChecks.All(port, protocolVersion);
        IMatrixClient client;
        try
        {
            client = clientId == "csharp"
                ? new CSharpMatrixClient()
                : new JsMatrixClient(await JsDriverHosts.StartAsync(clientId, ct: TestContext.Current.CancellationToken), v14: clientId == "node-v14");
        }
        catch (Exception e)
        {
            return checks.Select(c => new CheckResult(c.Id, false, $"{clientId} host did not start: {e.Message}")).ToList();
        }
        var results = new List<CheckResult>();
        await using (client)
        {
            bool connected = true;
            foreach (var check in checks)
            {
                if (!connected)
                {
                    results.Add(new CheckResult(check.Id, false, "not run: connect-hello failed"));
                    continue;
                }
                string? failure;
                try
                {
                    failure = await check.Run(client).WaitAsync(CheckTimeout, TestContext.Current.CancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !TestContext.Current.CancellationToken.IsCancellationRequested)
                {
                    failure = $"{e.GetType().Name}: {e.Message}";
                }
                results.Add(new CheckResult(check.Id, failure is null, failure));
                if (check.Id == "connect-hello" && failure is not null) connected = false;
            }
        }
        return results;
    }

    /// <summary>Every server pings on the matrix's short timing (<see cref="SeedChecks.PingTimeoutMs"/>) for the ping-pong check.</summary>
    static readonly string[] NodePingArgs =
        ["--ping-interval", $"{SeedChecks.PingIntervalMs}", "--ping-timeout", $"{SeedChecks.PingTimeoutMs}"];

    internal static Action<SocketClusterServerOptions> SampleOptions(int protocolVersion) => o =>
    {
        o.ProtocolVersion = protocolVersion;
        o.PingInterval = TimeSpan.FromMilliseconds(SeedChecks.PingIntervalMs);
        o.PingTimeout = TimeSpan.FromMilliseconds(SeedChecks.PingTimeoutMs);
    };

    static async Task<RunningServer> StartServerAsync(string id) => id switch
    {
        "csharp-sample" => new RunningServer(await SampleServer.StartAsync(SampleOptions(2), cancellationToken: TestContext.Current.CancellationToken)),
        "csharp-sample-v1" => new RunningServer(await SampleServer.StartAsync(SampleOptions(1), cancellationToken: TestContext.Current.CancellationToken)),
        "node-20.0.1" => new RunningServer(await NodeFixtureServer.StartAsync("fixture-server.js", NodePingArgs)),
        "node-20.0.1-v1" => new RunningServer(await NodeFixtureServer.StartAsync("fixture-server.js", [.. NodePingArgs, "--protocol", "1"])),
        "node-14.7.2" => new RunningServer(await NodeFixtureServer.StartAsync("fixture-server-v14.js", NodePingArgs)),
        _ => throw new ArgumentException($"unknown server {id}", nameof(id)),
    };

    sealed class RunningServer : IAsyncDisposable
    {
        readonly IAsyncDisposable _server;

        public RunningServer(SampleServerHandle sample) { _server = sample; Port = sample.Port; }

        public RunningServer(NodeFixtureServer fixture) { _server = fixture; Port = fixture.Port; }

        public int Port { get; }

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }
}
