using System.Diagnostics;
using SocketCluster.Server.Tests.Infrastructure;

namespace SocketCluster.Server.Tests.Interop;

/// <summary>
/// The seed's server.js in C# — reference/SocketCluster.Sample/Program.cs, run as its own process exactly as
/// `dotnet run --project reference/SocketCluster.Sample` runs it — checked by the official client (socketcluster-client
/// 20.0.2 under Node, js-client-fixtures/interop/seed-check.mjs): every Basic-usage operation and the fixture contract.
/// </summary>
public sealed class SeedProgramTests
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_sample_program_passes_the_official_clients_seed_check()
    {
        RepoPaths.RequireNodeModules();
        await using var sample = await SampleProcess.StartAsync("--port", "0", "--exit-on-stdin-close");

        var result = await NodeProcess.RunAsync(RepoPaths.JsClientFixtures, TimeSpan.FromMinutes(5),
            "interop/seed-check.mjs", $"ws://127.0.0.1:{sample.Port}/socketcluster/");

        var summary = result.Stdout.Split('\n').LastOrDefault(l => l.Contains(" passed, ")) ?? "(no summary line)";
        Assert.True(result.ExitCode == 0, $"seed-check exited {result.ExitCode}: {summary}\n{result.Stdout}\n{result.Stderr}\nsample stderr:\n{sample.StdErr}");
        Assert.Matches(@"^\d+ passed, 0 failed", summary.Trim());
    }

    [Fact]
    public async Task A_bad_flag_is_a_usage_error_with_exit_code_2()
    {
        using var process = Process.Start(SampleProcess.StartInfo("--ping-interval", "soon"))!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(StartDeadline);
        await process.WaitForExitAsync(deadline.Token);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--ping-interval needs a positive integer, got \"soon\"", await stderr);
    }

    [Fact]
    public async Task The_sample_binds_its_SocketCluster_configuration_section_and_refuses_a_misspelt_option()
    {
        // The "SocketCluster" section (appsettings.json, here from the environment) binds into the server options: a
        // typo stops the start with an error naming the key rather than being ignored.
        var start = SampleProcess.StartInfo("--port", "0");
        start.Environment["SocketCluster__pingIntervall"] = "5000";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(StartDeadline);
        await process.WaitForExitAsync(deadline.Token);
        Assert.NotEqual(0, process.ExitCode);
        Assert.DoesNotContain("LISTENING", await stdout);
        Assert.Contains("'SocketCluster:pingIntervall' is not an option (did you mean 'pingInterval'?)", await stderr);
    }
}
