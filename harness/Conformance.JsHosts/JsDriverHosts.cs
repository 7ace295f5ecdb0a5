using Conformance.JsHosts.Chromium;
using Conformance.JsHosts.Jint;
using Conformance.JsHosts.Node;

namespace Conformance.JsHosts;

/// <summary>Starts a host by name: "node", "node-v14" (socketcluster-client 14.3.2), "chromium" or "jint".</summary>
public static class JsDriverHosts
{
    public static IReadOnlyList<string> Names { get; } = ["node", "node-v14", "chromium", "jint"];

    /// <param name="consoleSink">Console output of the browser and Jint hosts (node's stderr is kept for errors).</param>
    public static async Task<IJsDriverHost> StartAsync(string name, Action<string>? consoleSink = null, CancellationToken ct = default) =>
        name switch
        {
            "node" => await NodeDriverHost.StartAsync(v14: false, ct),
            "node-v14" => await NodeDriverHost.StartAsync(v14: true, ct),
            "chromium" => await ChromiumDriverHost.StartAsync(consoleSink, ct),
            "jint" => await JintDriverHost.StartAsync(consoleSink, ct),
            _ => throw new ArgumentException($"Unknown JS host '{name}'; expected one of {string.Join(", ", Names)}.", nameof(name)),
        };
}
