namespace Conformance.Mutants;

/// <summary>
/// What a mutation session can do with one proxied connection. "Client" is the suite's side (the connection
/// accepted by the proxy); "server" is the upstream known-good server. Sends are queued in order per side.
/// </summary>
public interface IRelay
{
    /// <summary>The request path the client used (e.g. "/socketcluster/").</summary>
    string Path { get; }

    /// <summary>The query string the client used, including the leading '?', or "".</summary>
    string Query { get; }

    void ToClient(WireFrame frame);

    void ToServer(WireFrame frame);

    void ToClient(string text) => ToClient(WireFrame.FromText(text));

    void ToServer(string text) => ToServer(WireFrame.FromText(text));

    /// <summary>Sends a close frame to the client (idempotent). 1005 sends a close frame without a code.</summary>
    void CloseClient(int code, string? reason);

    /// <summary>Sends a close frame to the server (idempotent).</summary>
    void CloseServer(int code, string? reason);

    /// <summary>Drops the client's TCP connection without a close frame (the client sees 1006).</summary>
    void AbortClient();

    /// <summary>Drops the server connection without a close frame.</summary>
    void AbortServer();
}
