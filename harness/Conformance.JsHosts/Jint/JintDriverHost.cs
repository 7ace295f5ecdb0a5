using System.Text.Json;

namespace Conformance.JsHosts.Jint;

/// <summary>
/// The official client bundle in an in-process Jint engine (one engine and event-loop thread per host). The bundle
/// is parsed once per process and shared; each host gets its own engine, globals, localStorage and driver (a new
/// host costs about one module evaluation, see the benchmark). The engine shares one host among all scenarios of a
/// run: their tokens stay apart because each client's relay port, part of its token's storage key, is never reused.
/// </summary>
public sealed class JintDriverHost : IResettableJsDriverHost
{
    readonly JintRuntime _runtime;

    JintDriverHost(JintRuntime runtime) => _runtime = runtime;

    public string Name => "jint";

    /// <summary>socketcluster-client version of the loaded bundle.</summary>
    public string ClientVersion => _runtime.ClientVersion;

    /// <summary>The last console lines and uncaught errors, for diagnostics.</summary>
    public string ConsoleTail => _runtime.ConsoleTail;

    /// <param name="consoleSink">Receives every console line and uncaught error (e.g. a test output helper).</param>
    public static async Task<JintDriverHost> StartAsync(Action<string>? consoleSink = null, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        return new JintDriverHost(await JintRuntime.StartAsync(consoleSink).WaitAsync(ct));
    }

    public async Task<JsonElement> CallAsync(string command, IReadOnlyList<JsonElement> args, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(args);
        string json = await _runtime.CallAsync(command, DriverRequest.SerializeArgs(args), ct);
        return DriverRequest.ParseResult(json, Name);
    }

    public async Task ResetAsync(CancellationToken ct = default)
    {
        DriverResults.EnsureOk(await CallAsync("destroyAll", [], ct), Name, "destroyAll");
        await _runtime.ResetAsync(ct);
    }

    /// <summary>Evaluates a script in this host's engine and returns JSON.stringify of its (awaited) value.</summary>
    internal async Task<JsonElement> EvaluateAsync(string script, CancellationToken ct = default) =>
        DriverRequest.ParseResult(await _runtime.EvaluateAsync(script, ct), Name);

    public ValueTask DisposeAsync() => _runtime.DisposeAsync();
}
