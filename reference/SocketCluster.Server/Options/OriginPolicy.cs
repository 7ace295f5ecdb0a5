namespace SocketCluster.Server.Options;

/// <summary>The origins check of the official server: 'host:port' patterns with '*' on either side.</summary>
public sealed class OriginPolicy
{
    private readonly HashSet<string> _patterns;
    private readonly bool _allowAll;

    /// <summary>Parses the official origins option: patterns separated by commas or spaces.</summary>
    public OriginPolicy(string origins)
    {
        _patterns = new HashSet<string>(Split(origins), StringComparer.Ordinal);
        _allowAll = _patterns.Contains("*:*");
    }

    internal static IEnumerable<string> Split(string origins) =>
        origins.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A missing or "null" origin counts as '*'; a missing port is 443 for https and 80 otherwise.</summary>
    public bool IsAllowed(string? origin)
    {
        if (_allowAll) return true;
        string host;
        int port;
        if (string.IsNullOrEmpty(origin) || origin == "null" || !Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            // Node's url.parse('*') has no hostname and no port: the check sees "null:80".
            host = "null";
            port = 80;
        }
        else
        {
            host = uri.Host;
            port = uri.IsDefaultPort ? (uri.Scheme == "https" ? 443 : 80) : uri.Port;
        }
        return _patterns.Contains($"{host}:{port}") || _patterns.Contains($"{host}:*") || _patterns.Contains($"*:{port}");
    }
}
