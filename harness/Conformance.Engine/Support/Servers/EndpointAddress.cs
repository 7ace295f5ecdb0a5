namespace Conformance.Engine.Support;

/// <summary>
/// The one parser of a server-under-test address, for --endpoint and SC_ENDPOINT alike: an absolute ws:// or wss://
/// URL (http:// and https:// are taken as ws:// and wss://); a URL without a path gets /socketcluster/ (TR-001).
/// </summary>
public static class EndpointAddress
{
    public const string DefaultPath = "/socketcluster/";

    /// <param name="source">Names the setting in the error ("--endpoint", "SC_ENDPOINT").</param>
    public static bool TryParse(string text, string source, out Uri? endpoint, out string error)
    {
        endpoint = null;
        error = "";
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            error = $"{source} must be an absolute ws:// or wss:// URL such as ws://127.0.0.1:8000/socketcluster/ (got \"{text}\")";
            return false;
        }
        var scheme = uri.Scheme switch { "ws" or "http" => "ws", "wss" or "https" => "wss", _ => null };
        if (scheme is null)
        {
            error = $"{source} must use ws:// or wss:// (got \"{uri.Scheme}://\")";
            return false;
        }
        var builder = new UriBuilder(uri) { Scheme = scheme, Port = uri.IsDefaultPort ? -1 : uri.Port };
        if (builder.Path is "" or "/") builder.Path = DefaultPath;
        endpoint = builder.Uri;
        return true;
    }

    /// <exception cref="ArgumentException">The text is not such a URL; the message names <paramref name="source"/>.</exception>
    public static Uri Parse(string text, string source) =>
        TryParse(text, source, out var endpoint, out var error) ? endpoint! : throw new ArgumentException(error);
}
