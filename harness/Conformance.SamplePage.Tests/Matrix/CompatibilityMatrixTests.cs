using Conformance.JsHosts;
using Conformance.JsHosts.Chromium;
using SocketCluster.Sample;

namespace Conformance.SamplePage.Tests.Matrix;

/// <summary>
/// Clients {C# reference, official JS in Chromium / Jint / Node (20.0.2), official JS 14.3.2 under Node} × servers
/// {C# sample, official Node fixture 20.0.1, v14 fixture (14.7.2, protocol v1)}: runs <see cref="SeedChecks"/> in
/// every cell whose protocol versions match, writes docs/compatibility-matrix.{md,json}, and requires every
/// applicable cell to pass every check.
/// </summary>
[Collection("browser and servers")] // one at a time on a shared 2-core machine
public sealed class CompatibilityMatrixTests(ITestOutputHelper output)
{
    static readonly MatrixEndpoint[] Clients =
    [
        new("csharp", "C# reference client", 2),
        new("chromium", "official JS 20.0.2 in Chromium", 2),
        new("jint", "official JS 20.0.2 in Jint", 2),
        new("node", "official JS 20.0.2 under Node", 2),
        new("node-v14", "official JS 14.3.2 under Node", 1),
    ];

    static readonly MatrixEndpoint[] Servers =
    [
        new("csharp-sample", "C# reference sample", 2),
        new("node-20.0.1", "official Node fixture 20.0.1", 2),
        new("node-14.7.2", "v14 fixture 14.7.2", 1),
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
                    if (client.ProtocolVersion != server.ProtocolVersion)
                    {
                        cells.Add(new MatrixCell(client.Id, server.Id, NotApplicableReason(client, server), []));
                        continue;
                    }
                    var results = await RunCellAsync(client.Id, running.Port);
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
        Assert.Contains(cells, c => c.NotApplicable is null && c.Server == "node-14.7.2");
        Assert.All(cells.Where(c => c.NotApplicable is null), c =>
            Assert.True(c.Passed == checks.Count, $"{c.Client} × {c.Server}: {c.Summary}; " +
                string.Join("; ", c.Checks.Where(k => !k.Passed).Select(k => $"{k.Id}: {k.Detail}"))));
    }

    static string NotApplicableReason(MatrixEndpoint client, MatrixEndpoint server) => server.ProtocolVersion == 1
        ? $"the server speaks protocol v1 only; {client.Description} speaks protocol v2 (protocol v1 needs the v14 client)"
        : $"{client.Description} speaks protocol v1; the server runs protocol v2";

    async Task<List<CheckResult>> RunCellAsync(string clientId, int port)
    {
        var checks = SeedChecks.All(port);
        IMatrixClient client;
        try
        {
            client = clientId == "csharp"
                ? new CSharpMatrixClient()
                : new JsMatrixClient(await JsDriverHosts.StartAsync(clientId, ct: TestContext.Current.CancellationToken));
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

    static async Task<RunningServer> StartServerAsync(string id) => id switch
    {
        "csharp-sample" => new RunningServer(await SampleServer.StartAsync(new SampleServerOptions(), TestContext.Current.CancellationToken)),
        "node-20.0.1" => new RunningServer(await NodeFixtureServer.StartAsync("fixture-server.js")),
        "node-14.7.2" => new RunningServer(await NodeFixtureServer.StartAsync("fixture-server-v14.js")),
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
