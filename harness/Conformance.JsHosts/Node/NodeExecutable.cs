namespace Conformance.JsHosts.Node;

/// <summary>The node binary: <c>CONFORMANCE_NODE</c>, else <c>node</c> on the PATH.</summary>
public static class NodeExecutable
{
    public static string Path => Environment.GetEnvironmentVariable("CONFORMANCE_NODE") is { Length: > 0 } p ? p : "node";

    public const string MissingMessage =
        "node was not found. Install Node.js 20 (e.g. `apt-get install -y nodejs npm`) or set CONFORMANCE_NODE.";
}
