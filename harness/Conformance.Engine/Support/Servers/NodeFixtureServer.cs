using System.Globalization;
using Conformance.JsHosts;

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
    private ListeningProcess? _process;
    private string _lastStderr = "";

    private NodeFixtureServer(EngineSettings settings, string script, IReadOnlyList<string> arguments)
    {
        _settings = settings;
        _script = script;
        _arguments = arguments;
    }

    public int Port { get; private set; }

    public Uri WebSocketUrl => new($"ws://127.0.0.1:{Port}/socketcluster/");

    public bool IsRunning => _process is { Process.HasExited: false };

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
    public Task StopAsync() => Take()?.StopAsync(TimeSpan.FromSeconds(3)) ?? Task.CompletedTask;

    /// <summary>Stops abruptly (SIGKILL), so peers see the TCP connection drop (1006).</summary>
    public Task KillAsync() => Take()?.KillAsync() ?? Task.CompletedTask;

    private ListeningProcess? Take()
    {
        var process = _process;
        _process = null;
        if (process is not null) _lastStderr = process.Stderr;
        return process;
    }

    /// <summary>Starts again on the same port with the same options.</summary>
    public Task RestartAsync(CancellationToken cancellation = default)
    {
        if (IsRunning) throw new InvalidOperationException("The fixture server is still running.");
        return StartProcessAsync(Port, cancellation);
    }

    /// <summary>The last lines the fixture wrote to stderr (of the process that ran last).</summary>
    public string StandardError => _process?.Stderr ?? _lastStderr;

    private async Task StartProcessAsync(int port, CancellationToken cancellation)
    {
        var scriptPath = Path.Combine(_settings.JsFixturesFolder, _script);
        if (!File.Exists(scriptPath))
            throw new InvalidOperationException($"The Node fixture server {scriptPath} does not exist.");
        await NodePackages.EnsureInstalledAsync(_settings.JsFixturesFolder).ConfigureAwait(false);
        string[] arguments = [scriptPath, "--port", port.ToString(CultureInfo.InvariantCulture), .. _arguments];
        try
        {
            _process = await ListeningProcess.StartAsync(_settings.NodeExecutable, arguments, _settings.JsFixturesFolder, StartTimeout,
                cancellation: cancellation).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Cannot start '{_settings.NodeExecutable}' (Node 20 is required): {e.Message}", e);
        }
        Port = _process.Port;
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
