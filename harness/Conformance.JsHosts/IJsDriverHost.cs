using System.Text.Json;

namespace Conformance.JsHosts;

/// <summary>
/// Runs the official JavaScript client's driver (js-client-fixtures/driver/driver-core.mjs) somewhere
/// (a Node process, a Chromium page, a Jint engine) and forwards driver commands to it.
/// </summary>
public interface IJsDriverHost : IAsyncDisposable
{
    /// <summary>"node", "chromium" or "jint".</summary>
    string Name { get; }

    /// <summary>
    /// Calls the driver-core command <paramref name="command"/> with <paramref name="args"/> and returns its JSON
    /// result. A command that fails in JavaScript throws <see cref="JsDriverException"/>.
    /// </summary>
    Task<JsonElement> CallAsync(string command, IReadOnlyList<JsonElement> args, CancellationToken ct = default);
}
