namespace Conformance.JsHosts;

/// <summary>
/// The host itself failed (process died, page crashed, engine faulted, unknown command, bad reply). Driver-level
/// failures are not exceptions: driver-core commands resolve to <c>{ok:false, error}</c> results.
/// </summary>
public class JsDriverHostException : Exception
{
    public JsDriverHostException(string message) : base(message) { }
    public JsDriverHostException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The host cannot run on this machine (node or Chromium missing); the message says how to fix it.</summary>
public sealed class JsHostUnavailableException : JsDriverHostException
{
    public JsHostUnavailableException(string message) : base(message) { }
    public JsHostUnavailableException(string message, Exception inner) : base(message, inner) { }
}
