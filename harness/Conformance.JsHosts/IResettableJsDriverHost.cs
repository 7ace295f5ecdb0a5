namespace Conformance.JsHosts;

/// <summary>
/// A host that can be reused for the next scenario instead of being started again (a new Chromium page costs far
/// more than a reset). All hosts implement it.
/// </summary>
public interface IResettableJsDriverHost : IJsDriverHost
{
    /// <summary>
    /// Destroys every client socket of the driver (close 1000) and clears what the client keeps between sockets: the
    /// auth tokens the browser and Jint clients store in localStorage per host:port, which would otherwise be sent
    /// in the next scenario's handshake. Handles keep counting up.
    /// </summary>
    Task ResetAsync(CancellationToken ct = default);
}
