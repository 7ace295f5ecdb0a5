using System.Diagnostics;
using System.Reflection;

namespace Conformance.Mutants;

/// <summary>
/// The official Node fixture server (js-client-fixtures/fixture-server.js on socketcluster-server 20.0.1),
/// started as a child process on an ephemeral port. It prints "LISTENING &lt;port&gt;" once ready and exits when
/// its stdin closes, so a dying test process never leaks it.
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

    /// <summary>The base address, e.g. ws://127.0.0.1:41234 (no path).</summary>
    public Uri BaseUri => new($"ws://127.0.0.1:{Port}");

    public static async Task<NodeFixtureServer> StartAsync(IEnumerable<string>? extraArguments = null, TimeSpan? startTimeout = null)
    {
        var fixtures = Path.Combine(RepoRoot.Path, "js-client-fixtures");
        var script = Path.Combine(fixtures, "fixture-server.js");
        if (!File.Exists(script)) throw new FileNotFoundException("The Node fixture server is missing.", script);
        if (!Directory.Exists(Path.Combine(fixtures, "node_modules")))
            throw new InvalidOperationException($"Run 'npm ci' in {fixtures} first: node_modules is missing.");

        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = fixtures,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add("0");
        foreach (var a in extraArguments ?? []) info.ArgumentList.Add(a);

        var process = Process.Start(info) ?? throw new InvalidOperationException("node could not be started.");
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(startTimeout ?? TimeSpan.FromSeconds(30));
        try
        {
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
                if (line is null)
                {
                    await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                    string err;
                    lock (stderr) err = stderr.ToString();
                    throw new InvalidOperationException($"The Node fixture server exited with code {process.ExitCode} before listening: {err}");
                }
                if (line.StartsWith("LISTENING ", StringComparison.Ordinal) && int.TryParse(line.AsSpan(10), out var port))
                {
                    // Keep draining stdout so the child never blocks on a full pipe.
                    _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                    return new NodeFixtureServer(process, port);
                }
            }
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The Node fixture server did not print LISTENING in time.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}

/// <summary>The repository root, stamped into every assembly by Directory.Build.props.</summary>
public static class RepoRoot
{
    public static string Path { get; } = typeof(RepoRoot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "ConformanceRepoRoot")?.Value
        ?? throw new InvalidOperationException("ConformanceRepoRoot assembly metadata is missing.");
}
