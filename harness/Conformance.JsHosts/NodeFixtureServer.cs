using System.Diagnostics;
using Conformance.JsHosts;

namespace Conformance.JsHosts.Tests;

/// <summary>
/// The official Node fixture server (js-client-fixtures/fixture-server.js on socketcluster-server 20.0.1, or
/// fixture-server-v14.js), started on an ephemeral port. It exits when its stdin closes.
/// </summary>
public sealed class NodeFixtureServer : IAsyncDisposable
{
    readonly Process _process;
    readonly List<string> _stderr = [];

    NodeFixtureServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Stderr
    {
        get
        {
            lock (_stderr) return string.Join('\n', _stderr);
        }
    }

    public static async Task<NodeFixtureServer> StartAsync(string script = "fixture-server.js", params string[] extraArgs)
    {
        var psi = new ProcessStartInfo("node")
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
        var process = Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
        var stderr = new List<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr) stderr.Add(e.Data);
        };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? line;
        try
        {
            line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            line = null;
        }
        if (line is null || !line.StartsWith("LISTENING ", StringComparison.Ordinal) || !int.TryParse(line[10..], out int port))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            string errors;
            lock (stderr) errors = string.Join('\n', stderr);
            throw new InvalidOperationException($"{script} did not print LISTENING <port> (got {line ?? "nothing"}). stderr: {errors}");
        }
        var server = new NodeFixtureServer(process, port);
        lock (stderr) server._stderr.AddRange(stderr);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (server._stderr) server._stderr.Add(e.Data);
        };
        return server;
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

/// <summary>One fixture server (protocol v2) shared by the tests of a class.</summary>
public sealed class NodeFixtureServerFixture : IAsyncLifetime
{
    NodeFixtureServer? _server;

    public NodeFixtureServer Server => _server ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() => _server = await NodeFixtureServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
