using System.Diagnostics;
using Conformance.JsHosts.Node;

namespace Conformance.JsHosts;

/// <summary>
/// The official Node fixture server (js-client-fixtures/fixture-server.js on socketcluster-server 20.0.1, or
/// fixture-server-v14.js on 14.7.2) on an ephemeral 127.0.0.1 port. It exits when its stdin closes, so it never
/// outlives the process that started it.
/// </summary>
public sealed class NodeFixtureServer : IAsyncDisposable
{
    readonly Process _process;
    readonly StderrTail _stderr;

    NodeFixtureServer(Process process, StderrTail stderr, int port)
    {
        _process = process;
        _stderr = stderr;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The base address, e.g. ws://127.0.0.1:41234 (no path).</summary>
    public Uri BaseUri => new($"ws://127.0.0.1:{Port}");

    /// <summary>The fixture's SocketCluster endpoint, ws://127.0.0.1:PORT/socketcluster/.</summary>
    public Uri WebSocketUrl => new($"ws://127.0.0.1:{Port}/socketcluster/");

    /// <summary>The last lines the fixture wrote to stderr (it logs errors and warnings there).</summary>
    public string Stderr => _stderr.Text;

    /// <param name="script">fixture-server.js or fixture-server-v14.js (relative to js-client-fixtures/).</param>
    /// <param name="extraArgs">Fixture flags, e.g. --ping-interval 500 (see spec/fixture-app.md §3).</param>
    public static Task<NodeFixtureServer> StartAsync(string script = "fixture-server.js", params string[] extraArgs) =>
        StartAsync(script, extraArgs, TimeSpan.FromSeconds(30));

    /// <param name="startTimeout">How long to wait for its LISTENING line (a loaded machine may need longer).</param>
    public static async Task<NodeFixtureServer> StartAsync(string script, IReadOnlyList<string> extraArgs, TimeSpan startTimeout)
    {
        var psi = new ProcessStartInfo(NodeExecutable.Path)
        {
            WorkingDirectory = FixturePaths.JsClientFixtures,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(FixturePaths.Require(Path.Combine(FixturePaths.JsClientFixtures, script)));
        psi.ArgumentList.Add("--port");
        psi.ArgumentList.Add("0");
        foreach (var arg in extraArgs) psi.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new JsHostUnavailableException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new JsHostUnavailableException(NodeExecutable.MissingMessage, e);
        }
        var stderr = new StderrTail(100);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) stderr.Add(e.Data); };
        process.BeginErrorReadLine();
        string? line;
        using (var timeout = new CancellationTokenSource(startTimeout))
        {
            try
            {
                line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                line = null;
            }
        }
        if (line is null || !line.StartsWith("LISTENING ", StringComparison.Ordinal) || !int.TryParse(line[10..], out int port))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.Dispose();
            throw new JsDriverHostException($"{script} did not print LISTENING <port> (got {line ?? "nothing"}). stderr: {stderr.Text}");
        }
        // Keep draining stdout so the child never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        return new NodeFixtureServer(process, stderr, port);
    }

    public async ValueTask DisposeAsync()
    {
        try { _process.StandardInput.Close(); } catch (IOException) { }
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }
        _process.Dispose();
    }
}
