using Conformance.JsHosts.Node;

namespace Conformance.JsHosts;

/// <summary>
/// The official Node fixture server (js-client-fixtures/fixture-server.js on socketcluster-server 20.0.1, or
/// fixture-server-v14.js on 14.7.2) on an ephemeral 127.0.0.1 port. It exits when its stdin closes, so it never
/// outlives the process that started it.
/// </summary>
public sealed class NodeFixtureServer : IAsyncDisposable
{
    readonly ListeningProcess _process;

    NodeFixtureServer(ListeningProcess process) => _process = process;

    public int Port => _process.Port;

    /// <summary>The base address, e.g. ws://127.0.0.1:41234 (no path).</summary>
    public Uri BaseUri => new($"ws://127.0.0.1:{Port}");

    /// <summary>The fixture's SocketCluster endpoint, ws://127.0.0.1:PORT/socketcluster/.</summary>
    public Uri WebSocketUrl => new($"ws://127.0.0.1:{Port}/socketcluster/");

    /// <summary>The last lines the fixture wrote to stderr (it logs errors and warnings there).</summary>
    public string Stderr => _process.Stderr;

    /// <param name="script">fixture-server.js or fixture-server-v14.js (relative to js-client-fixtures/).</param>
    /// <param name="extraArgs">Fixture flags, e.g. --ping-interval 500 (see spec/fixture-app.md §3).</param>
    public static Task<NodeFixtureServer> StartAsync(string script = "fixture-server.js", params string[] extraArgs) =>
        StartAsync(script, extraArgs, TimeSpan.FromSeconds(30));

    /// <param name="startTimeout">How long to wait for its LISTENING line (a loaded machine may need longer).</param>
    public static async Task<NodeFixtureServer> StartAsync(string script, IReadOnlyList<string> extraArgs, TimeSpan startTimeout)
    {
        string[] arguments = [FixturePaths.Require(Path.Combine(FixturePaths.JsClientFixtures, script)), "--port", "0", .. extraArgs];
        try
        {
            return new NodeFixtureServer(await ListeningProcess.StartAsync(NodeExecutable.Path, arguments, FixturePaths.JsClientFixtures, startTimeout));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new JsHostUnavailableException(NodeExecutable.MissingMessage, e);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            throw new JsDriverHostException(e.Message, e);
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
