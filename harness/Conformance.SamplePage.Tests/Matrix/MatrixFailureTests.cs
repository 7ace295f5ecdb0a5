using System.Net;
using System.Net.Sockets;
using SocketCluster.Sample.Fixture;

namespace Conformance.SamplePage.Tests.Matrix;

/// <summary>The matrix can fail: an unreachable server fails every check, and the documents show failing cells.</summary>
public sealed class MatrixFailureTests
{
    [Fact]
    public async Task Checks_against_a_port_without_a_server_fail()
    {
        // A port that was free a moment ago: nothing listens there.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        await using var client = new CSharpMatrixClient();
        var connect = SeedChecks.All(port)[0];
        await Assert.ThrowsAnyAsync<Exception>(() => connect.Run(client));
    }

    [Fact]
    public async Task A_client_in_the_wrong_protocol_version_fails_the_ping_pong_check()
    {
        // A v1 server pings "#1" and waits for "#2"; a v2 client does not answer it, so the server closes it.
        await using var server = await SampleServer.StartAsync(CompatibilityMatrixTests.SampleOptions(1), cancellationToken: TestContext.Current.CancellationToken);
        await using var client = new CSharpMatrixClient();
        var checks = SeedChecks.All(server.Port, protocolVersion: 2);
        Assert.Null(await checks.Single(c => c.Id == "connect-hello").Run(client));
        string? failure = await checks.Single(c => c.Id == "ping-pong").Run(client);
        Assert.NotNull(failure);
        Assert.Contains("state", failure);
    }

    [Fact]
    public void Documents_show_a_failing_cell_and_its_reasons()
    {
        var checks = SeedChecks.All(0);
        MatrixEndpoint[] clients = [new("c", "client C", 2)];
        MatrixEndpoint[] servers = [new("s", "server S", 2), new("v1", "server V1", 1)];
        var results = checks.Select((c, i) => new CheckResult(c.Id, i != 3, i == 3 ? "error NotBad: wrong" : null)).ToList();
        MatrixCell[] cells = [new("c", "s", null, results), new("c", "v1", "needs protocol v1", [])];

        string md = MatrixWriter.ToMarkdown(clients, servers, checks, cells);
        Assert.Contains($"| client C | {checks.Count - 1}/{checks.Count} | n/a |", md);
        Assert.Contains("- c × s, `invoke-error`: error NotBad: wrong", md);
        Assert.Contains("- c × v1: needs protocol v1", md);

        string json = MatrixWriter.ToJson(clients, servers, checks, cells);
        Assert.Contains($"\"result\": \"{checks.Count - 1}/{checks.Count}\"", json);
        Assert.Contains("\"notApplicable\": \"needs protocol v1\"", json);
    }
}
