using System.Diagnostics;
using System.Text.Json;

namespace Conformance.JsHosts.Node;

/// <summary>
/// Runs <c>node js-client-fixtures/node-client-driver.mjs</c> (socketcluster-client 20.0.2, or 14.3.2 with
/// <c>--v14</c>) and talks to it in JSON lines (<see cref="JsonLinesProcess"/>): <c>{"id","cmd","args"}</c> out,
/// <c>{"id","result"|"error"}</c> back.
/// </summary>
public sealed class NodeDriverHost : IResettableJsDriverHost
{
    readonly JsonLinesProcess _process;

    NodeDriverHost(JsonLinesProcess process) => _process = process;

    public string Name => "node";

    /// <summary>The driver process id (diagnostics and tests).</summary>
    internal int ProcessId => _process.ProcessId;

    /// <summary>True when this host runs the protocol-v1 client (socketcluster-client 14.3.2).</summary>
    public bool IsV14 { get; private init; }

    /// <summary>Starts the driver process and checks that it answers <c>info</c>.</summary>
    public static async Task<NodeDriverHost> StartAsync(bool v14 = false, CancellationToken ct = default)
    {
        string script = FixturePaths.Require(FixturePaths.NodeClientDriver);
        FixturePaths.Require(FixturePaths.DriverCore);
        var psi = new ProcessStartInfo(NodeExecutable.Path) { WorkingDirectory = FixturePaths.JsClientFixtures };
        psi.ArgumentList.Add(script);
        if (v14) psi.ArgumentList.Add("--v14");
        var host = new NodeDriverHost(JsonLinesProcess.Start(psi, "node client driver", NodeExecutable.MissingMessage)) { IsV14 = v14 };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            var info = await host.CallAsync("info", [], timeout.Token);
            if (!info.TryGetProperty("ok", out var ok) || !ok.GetBoolean())
            {
                throw new JsDriverHostException($"node driver answered info with {info.GetRawText()}");
            }
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return host;
    }

    public async Task<JsonElement> CallAsync(string command, IReadOnlyList<JsonElement> args, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(args);
        var reply = await _process.RequestAsync(id => DriverRequest.Serialize(id, command, args), ct);
        if (reply.TryGetProperty("result", out var result)) return result;
        if (reply.TryGetProperty("error", out var error))
            throw new JsDriverHostException($"node driver refused the request: {error}");
        throw new JsDriverHostException($"node driver sent a reply without result: {reply.GetRawText()}");
    }

    /// <summary>Destroys all sockets; the Node client keeps auth tokens per socket (no localStorage), so that is all.</summary>
    public async Task ResetAsync(CancellationToken ct = default) =>
        DriverResults.EnsureOk(await CallAsync("destroyAll", [], ct), Name, "destroyAll");

    /// <summary>Closing stdin makes the driver destroy its sockets and exit on its own.</summary>
    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
