using System.Diagnostics;
using System.Text;
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

    /// <summary>The sample's executable, copied next to the tests by the project reference.</summary>
    private sealed class SampleProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _stderr = new();

        private SampleProcess(Process process) => _process = process;

        public int Port { get; private set; }

        public string StdErr { get { lock (_stderr) return _stderr.ToString(); } }

        public static ProcessStartInfo StartInfo(params string[] args)
        {
            var exe = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "SocketCluster.Sample.exe" : "SocketCluster.Sample");
            Assert.True(File.Exists(exe), $"{exe} is missing: the test project references reference/SocketCluster.Sample.");
            var start = new ProcessStartInfo(exe)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in args) start.ArgumentList.Add(arg);
            return start;
        }

        public static async Task<SampleProcess> StartAsync(params string[] args)
        {
            var sample = new SampleProcess(Process.Start(StartInfo(args))!);
            sample._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (sample._stderr) sample._stderr.AppendLine(e.Data); };
            sample._process.BeginErrorReadLine();
            using var deadline = new CancellationTokenSource(StartDeadline);
            try
            {
                // The fixture contract: the first stdout line is "LISTENING <port>".
                var line = await sample._process.StandardOutput.ReadLineAsync(deadline.Token);
                Assert.True(line is not null && line.StartsWith("LISTENING ", StringComparison.Ordinal),
                    $"expected 'LISTENING <port>', got '{line}'\n{sample.StdErr}");
                sample.Port = int.Parse(line["LISTENING ".Length..], System.Globalization.CultureInfo.InvariantCulture);
                return sample;
            }
            catch
            {
                await sample.DisposeAsync();
                throw;
            }
        }

        /// <summary>--exit-on-stdin-close: closing stdin stops it; killed if it has not exited 10 s later.</summary>
        public async ValueTask DisposeAsync()
        {
            try
            {
                _process.StandardInput.Close();
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
            finally
            {
                _process.Dispose();
            }
        }
    }
}
