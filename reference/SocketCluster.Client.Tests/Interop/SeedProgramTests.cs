using System.Diagnostics;
using SocketCluster.Client.Tests.Infrastructure;

namespace SocketCluster.Client.Tests.Interop;

/// <summary>
/// The seed's client.js in C# — reference/SocketCluster.ClientSample/Program.cs, run as its own process — against the
/// official socketcluster-server 20.0.1 (js-client-fixtures/fixture-server.js) and against the C# sample: every
/// Basic-usage [Client] operation gives the guide's result.
/// </summary>
public sealed class SeedProgramTests : InteropTest
{
    private static readonly string[] Expected =
    [
        "customProc: Success",
        "customProc bad: BadCustomError",
        "foo: This is some data",
        "foo: This is some more data",
    ];

    [Theory, MemberData(nameof(Targets))]
    public async Task The_client_sample_program_gets_the_guides_results(string target)
    {
        // The official timings: a loaded machine must not turn a slow start into a ping timeout.
        await using var server = await SharedServers.StartOwnAsync(target, new ServerOptions { PingIntervalMs = 8000, PingTimeoutMs = 30000, AckTimeoutMs = 10000 });
        var exe = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "SocketCluster.ClientSample.exe" : "SocketCluster.ClientSample");
        Assert.True(File.Exists(exe), $"{exe} is missing: the test project references reference/SocketCluster.ClientSample.");
        var start = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add($"ws://127.0.0.1:{server.Port}/socketcluster/");

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the client sample did not exit within 90 s\n{await stdout}\n{await stderr}");
        }
        Assert.True(process.ExitCode == 0, $"the client sample exited {process.ExitCode}\n{await stdout}\n{await stderr}");
        Assert.Equal(Expected, (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
