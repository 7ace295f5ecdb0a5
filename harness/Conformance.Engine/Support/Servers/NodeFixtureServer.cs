using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Conformance.Engine.Support;

/// <summary>
/// One official Node fixture server process (js-client-fixtures/fixture-server*.js): started with --port, it prints
/// "LISTENING &lt;port&gt;" and exits when its stdin closes, so it never outlives the test process.
/// </summary>
public sealed class NodeFixtureServer : IKnownGoodServer
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly EngineSettings _settings;
    private readonly string _script;
    private readonly IReadOnlyList<string> _arguments;
    private readonly StringBuilder _stderr = new();
    private Process? _process;

    private NodeFixtureServer(EngineSettings settings, string script, IReadOnlyList<string> arguments)
    {
        _settings = settings;
        _script = script;
        _arguments = arguments;
    }

    public int Port { get; private set; }

    public Uri WebSocketUrl => new($"ws://127.0.0.1:{Port}/socketcluster/");

    public bool IsRunning => _process is { HasExited: false };

    public string Description => $"node {_script} {string.Join(' ', _arguments)} on port {Port}";

    /// <summary>Starts the script with --port 0 (ephemeral) and the given extra arguments.</summary>
    public static async Task<NodeFixtureServer> StartAsync(EngineSettings settings, string script, IReadOnlyList<string> arguments,
        CancellationToken cancellation = default)
    {
        var server = new NodeFixtureServer(settings, script, arguments);
        await server.StartProcessAsync(0, cancellation).ConfigureAwait(false);
        return server;
    }

    /// <summary>Stops the process (every socket drops without a close frame); the port number is kept for a restart.</summary>
    public async Task StopAsync()
    {
        var process = _process;
        _process = null;
        if (process is null) return;
        try
        {
            // Closing stdin makes the fixture exit; kill it if it does not within a few seconds.
            try { process.StandardInput.Close(); } catch (IOException) { }
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try { await process.WaitForExitAsync(wait.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { process.Kill(); await process.WaitForExitAsync().ConfigureAwait(false); }
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>
    /// Stops abruptly (SIGKILL), so peers see the TCP connection drop (1006). Only the node process is killed (it has no
    /// children): killing the "entire process tree" first freezes it and walks every process, which takes seconds on a busy box.
    /// </summary>
    public Task KillAsync()
    {
        var process = _process;
        _process = null;
        return ProcessKill.KillAsync(process);
    }

    /// <summary>Starts again on the same port with the same options.</summary>
    public Task RestartAsync(CancellationToken cancellation = default)
    {
        if (IsRunning) throw new InvalidOperationException("The fixture server is still running.");
        return StartProcessAsync(Port, cancellation);
    }

    public string StandardError
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    private async Task StartProcessAsync(int port, CancellationToken cancellation)
    {
        var scriptPath = Path.Combine(_settings.JsFixturesFolder, _script);
        if (!File.Exists(scriptPath))
            throw new InvalidOperationException($"The Node fixture server {scriptPath} does not exist.");
        await NodePackages.EnsureInstalledAsync(_settings.JsFixturesFolder).ConfigureAwait(false);

        var info = new ProcessStartInfo(_settings.NodeExecutable)
        {
            WorkingDirectory = _settings.JsFixturesFolder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(scriptPath);
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        foreach (var a in _arguments) info.ArgumentList.Add(a);

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("Process.Start returned null");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Cannot start '{_settings.NodeExecutable}' (Node 20 is required): {e.Message}", e);
        }

        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr) { if (_stderr.Length < 200_000) _stderr.AppendLine(e.Data); }
        };
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(StartTimeout);
        try
        {
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
                if (line is null)
                {
                    await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                    throw new InvalidOperationException(
                        $"The Node fixture server exited with code {process.ExitCode} before listening: {StandardError.Trim()}");
                }
                if (line.StartsWith("LISTENING ", StringComparison.Ordinal)
                    && int.TryParse(line.AsSpan(10), NumberStyles.None, CultureInfo.InvariantCulture, out var listening))
                {
                    Port = listening;
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            process.Kill();
            throw new TimeoutException($"The Node fixture server did not print LISTENING within {StartTimeout.TotalSeconds} s: {StandardError.Trim()}");
        }
        catch
        {
            if (!process.HasExited) process.Kill();
            process.Dispose();
            throw;
        }

        // Keep draining stdout so the child never blocks on a full pipe.
        _ = Task.Run(async () =>
        {
            try { while (await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is not null) { } }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException) { }
        });
        _process = process;
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
