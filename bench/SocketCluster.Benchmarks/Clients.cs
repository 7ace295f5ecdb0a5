using System.Diagnostics;
using System.Text.Json;
using SocketCluster.Client;

namespace SocketCluster.Benchmarks;

/// <summary>
/// The client comparison: the C# reference client and the official client 20.0.2 (js-client-fixtures/bench-client.mjs)
/// invoke customProc on the same server, a fixed number in flight; each client's own process CPU is measured.
/// </summary>
public static class Clients
{
    public static async Task<Measurement> CSharpAsync(ServerProcess server, int warmup, int invokes, int inFlight)
    {
        var socket = SocketClusterClient.Create(new ClientOptions { Hostname = "127.0.0.1", Port = server.Port, AutoReconnect = false });
        await using var _ = socket;
        await RunAsync(warmup);
        var self = Process.GetCurrentProcess();
        var cpu0 = self.TotalProcessorTime;
        var server0 = server.CpuTime;
        var clock = Stopwatch.StartNew();
        await RunAsync(invokes);
        var seconds = clock.Elapsed.TotalSeconds;
        self.Refresh();
        return new Measurement("client", "C# client", "invoke", invokes, seconds, (server.CpuTime - server0).TotalSeconds,
            (self.TotalProcessorTime - cpu0).TotalSeconds);

        async Task RunAsync(int total)
        {
            var next = 0;
            var data = new { n = 1 };
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
            {
                while (Interlocked.Increment(ref next) <= total) await socket.InvokeAsync("customProc", data).WaitAsync(deadline.Token);
            }));
        }
    }

    public static async Task<Measurement> OfficialAsync(ServerProcess server, string repoRoot, int warmup, int invokes, int inFlight)
    {
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = Path.Combine(repoRoot, "js-client-fixtures"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "bench-client.mjs", server.Url.ToString(), $"{warmup}", $"{invokes}", $"{inFlight}" }) psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
        var server0 = server.CpuTime;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0) throw new InvalidOperationException($"bench-client.mjs exited with {process.ExitCode}: {await stderr}");
        var serverCpu = (server.CpuTime - server0).TotalSeconds; // includes the warm-up: reported, not compared
        using var result = JsonDocument.Parse(await stdout);
        var root = result.RootElement;
        return new Measurement("client", "official client", "invoke", root.GetProperty("invokes").GetInt64(),
            root.GetProperty("seconds").GetDouble(), serverCpu, root.GetProperty("cpuSeconds").GetDouble());
    }
}
