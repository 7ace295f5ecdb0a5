using SocketCluster.Sample.Fixture;
using SocketCluster.Server.Tests.Infrastructure;

namespace SocketCluster.Server.Tests.Interop;

/// <summary>
/// The official client (socketcluster-client 20.0.2 under Node) drives the C# sample through every operation of
/// the Basic-usage seed and every fixture-contract procedure (js-client-fixtures/interop/seed-check.mjs).
/// </summary>
public sealed class SeedCheckTests
{
    private static readonly string Script = Path.Combine(RepoPaths.JsClientFixtures, "interop", "seed-check.mjs");

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public async Task Seed_check_passes_against_the_sample(int protocolVersion)
    {
        Assert.True(File.Exists(Script), $"{Script} is missing: it is the interop check of the fixture-app contract.");
        RepoPaths.RequireNodeModules();
        await using var sample = await SampleServer.StartAsync(o => o.ProtocolVersion = protocolVersion);

        var result = await NodeProcess.RunAsync(RepoPaths.JsClientFixtures, TimeSpan.FromMinutes(5),
            "interop/seed-check.mjs", sample.WebSocketUrl.ToString(), "--protocol", protocolVersion.ToString());

        var summary = result.Stdout.Split('\n').LastOrDefault(l => l.Contains(" passed, ")) ?? "(no summary line)";
        Assert.True(result.ExitCode == 0, $"seed-check exited {result.ExitCode}: {summary}\n{result.Stdout}\n{result.Stderr}");
        Assert.Matches(@"^\d+ passed, 0 failed", summary.Trim());
    }
}
