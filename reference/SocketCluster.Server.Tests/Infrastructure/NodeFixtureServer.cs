using System.Diagnostics;

namespace SocketCluster.Server.Tests.Infrastructure;

/// <summary>
/// The official server: js-client-fixtures/fixture-server.js (socketcluster-server 20.0.1 with the fixture-app
/// contract) on an ephemeral port. It exits when its stdin closes, so it never outlives the test process.
/// </summary>
public sealed class NodeFixtureServer : IAsyncDisposable
{
    private readonly Process _process;

    private NodeFixtureServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri WebSocketUrl => new($"ws://127.0.0.1:{Port}/socketcluster/");

    public static async Task<NodeFixtureServer> StartAsync(params string[] extraArgs)
    {
        RepoPaths.RequireNodeModules();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepoPaths.JsClientFixtures,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("fixture-server.js");
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add("0");
        foreach (var arg in extraArgs) start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var line = await process.StandardOutput.ReadLineAsync().WithTimeout(what: "the Node fixture's LISTENING line");
        if (line is null || !line.StartsWith("LISTENING ", StringComparison.Ordinal))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The Node fixture did not start: '{line}'");
        }
        return new NodeFixtureServer(process, int.Parse(line["LISTENING ".Length..]));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close(); // the fixture exits when stdin closes
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
