using System.Text.Json;
using Conformance.JsHosts;
using SocketCluster.Sample.Fixture;
using SocketCluster.Server.Tests.Infrastructure;

namespace SocketCluster.Server.Tests.Interop;

/// <summary>
/// The same raw frames go to the official server (socketcluster-server 20.0.1 in the Node fixture) and to the
/// C# sample; every scenario must get the same frames back and the same close code and reason.
/// </summary>
public sealed class WireParityTests
{
    [Fact]
    public async Task The_sample_answers_raw_frames_exactly_as_the_official_server()
    {
        await using var official = await NodeFixtureServer.StartAsync();
        await using var sample = await SampleServer.StartAsync();
        var script = Path.Combine(AppContext.BaseDirectory, "Interop", "wire-compare.mjs");

        var result = await NodeProcess.RunAsync(RepoPaths.JsClientFixtures, TimeSpan.FromMinutes(2),
            script, RepoPaths.JsClientFixtures, official.WebSocketUrl.ToString(), sample.WebSocketUrl.ToString());
        Assert.True(result.ExitCode == 0, $"wire-compare exited {result.ExitCode}\n{result.Stderr}");

        var differences = new List<string>();
        var count = 0;
        var slowest = 0;
        foreach (var line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
            var name = doc.RootElement.GetProperty("name").GetString();
            var expected = doc.RootElement.GetProperty("official").EnumerateArray().Select(e => e.GetString()).ToList();
            var actual = doc.RootElement.GetProperty("csharp").EnumerateArray().Select(e => e.GetString()).ToList();
            count++;
            slowest = Math.Max(slowest, doc.RootElement.GetProperty("csharpMs").GetInt32());
            if (expected.Concat(actual).Any(f => f!.StartsWith("TIMEOUT", StringComparison.Ordinal)))
                differences.Add($"{name}: a server neither answered the sentinel nor closed within 20 s\n  official: {string.Join(" | ", expected)}\n  c#: {string.Join(" | ", actual)}");
            else if (!expected.SequenceEqual(actual))
                differences.Add($"{name}:\n  official: {string.Join("\n            ", expected)}\n  c#:       {string.Join("\n            ", actual)}");
        }
        Assert.True(count >= 30, $"expected the scenarios to run, got {count}\n{result.Stdout}\n{result.Stderr}");
        Assert.True(differences.Count == 0, $"{differences.Count} of {count} scenarios differ (slowest C# scenario {slowest} ms):\n" + string.Join("\n", differences));
        TestContext.Current.TestOutputHelper?.WriteLine($"{count} scenarios identical; slowest C# scenario {slowest} ms");
    }
}
