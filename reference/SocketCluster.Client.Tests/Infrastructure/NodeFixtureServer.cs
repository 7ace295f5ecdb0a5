using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SocketCluster.Client.Tests.Infrastructure;

/// <summary>
/// The official socketcluster-server 20.0.1 running js-client-fixtures/fixture-server.js under Node. The process
/// exits when its stdin closes, so a crashed test run never leaks it.
/// </summary>
public sealed class NodeFixtureServer(ServerOptions options) : ServerUnderTest(ServerTargets.Node, options)
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private Process? _process;
    private readonly StringBuilder _stderr = new();

    public string StandardError { get { lock (_stderr) return _stderr.ToString(); } }

    public override async Task StartAsync()
    {
        await EnsureNodeModulesAsync();
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepoPaths.JsClientFixtures,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "fixture-server.js", "--port", Port.ToString(CultureInfo.InvariantCulture),
                     "--protocol", Options.ProtocolVersion.ToString(CultureInfo.InvariantCulture),
                     "--ping-interval", Options.PingIntervalMs.ToString(CultureInfo.InvariantCulture),
                     "--ping-timeout", Options.PingTimeoutMs.ToString(CultureInfo.InvariantCulture),
                     "--ack-timeout", Options.AckTimeoutMs.ToString(CultureInfo.InvariantCulture),
                     "--auth-key", Options.EffectiveAuthKey,
                 })
            psi.ArgumentList.Add(arg);
        if (Options.PingTimeoutDisabled) psi.ArgumentList.Add("--ping-timeout-disabled");
        if (Options.BatchOnHandshake) psi.ArgumentList.Add("--batch-on-handshake");
        if (Options.BatchOnHandshakeDurationMs is { } duration)
        {
            psi.ArgumentList.Add("--batch-on-handshake-duration");
            psi.ArgumentList.Add(duration.ToString(CultureInfo.InvariantCulture));
        }
        if (Options.BatchIntervalMs is { } interval)
        {
            psi.ArgumentList.Add("--batch-interval");
            psi.ArgumentList.Add(interval.ToString(CultureInfo.InvariantCulture));
        }

        // Restarting on the same port can briefly race the old listener; retry a few times.
        for (var attempt = 1; ; attempt++)
        {
            var process = Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
            process.BeginErrorReadLine();
            var line = await ReadListeningLineAsync(process);
            if (line is not null && line.StartsWith("LISTENING ", StringComparison.Ordinal))
            {
                Port = int.Parse(line["LISTENING ".Length..], CultureInfo.InvariantCulture);
                _process = process;
                IsRunning = true;
                return;
            }
            await KillAsync(process);
            if (attempt >= 5)
                throw new InvalidOperationException($"fixture-server.js did not start (stdout: {line ?? "<none>"}); stderr:\n{StandardError}");
            await Task.Delay(300 * attempt);
        }
    }

    private static async Task<string?> ReadListeningLineAsync(Process process)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try { return await process.StandardOutput.ReadLineAsync(cts.Token); }
        catch (OperationCanceledException) { return null; }
    }

    public override async Task StopAsync()
    {
        if (_process is not { } process) return;
        _process = null;
        IsRunning = false;
        await KillAsync(process);
    }

    private static async Task KillAsync(Process process)
    {
        // Killing (rather than closing stdin) drops the TCP connections abruptly, like a crashed server.
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await process.WaitForExitAsync(cts.Token); } catch (OperationCanceledException) { }
        process.Dispose();
    }

    /// <summary>Runs `npm ci` once if node_modules is missing (the packages are pinned by package-lock.json).</summary>
    private static async Task EnsureNodeModulesAsync()
    {
        if (Directory.Exists(Path.Combine(RepoPaths.JsClientFixtures, "node_modules", "socketcluster-server"))) return;
        await InstallLock.WaitAsync();
        try
        {
            if (Directory.Exists(Path.Combine(RepoPaths.JsClientFixtures, "node_modules", "socketcluster-server"))) return;
            var npm = Process.Start(new ProcessStartInfo("npm", "ci") { WorkingDirectory = RepoPaths.JsClientFixtures, UseShellExecute = false })
                      ?? throw new InvalidOperationException("npm did not start");
            await npm.WaitForExitAsync();
            if (npm.ExitCode != 0) throw new InvalidOperationException($"npm ci failed with exit code {npm.ExitCode}");
        }
        finally { InstallLock.Release(); }
    }
}
