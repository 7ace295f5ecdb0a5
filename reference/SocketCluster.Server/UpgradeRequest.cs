using Microsoft.AspNetCore.Http;

namespace SocketCluster.Server;

/// <summary>
/// The HTTP upgrade request a socket came from (the official socket.request): Url is the path with its query
/// string, as Node's req.url. The query string is opaque to the protocol; middleware may read it.
/// </summary>
public sealed record UpgradeRequest(string Url, string Path, IQueryCollection Query, IHeaderDictionary Headers, string? RemoteAddress, int RemotePort)
{
    /// <summary>The Origin header, or null when absent.</summary>
    public string? Origin => Headers.Origin.Count > 0 ? Headers.Origin.ToString() : null;

    internal static UpgradeRequest From(HttpContext context)
    {
        var request = context.Request;
        var headers = new HeaderDictionary();
        foreach (var (key, value) in request.Headers) headers[key] = value;
        return new UpgradeRequest(
            request.PathBase.Add(request.Path).Value + request.QueryString.Value,
            request.PathBase.Add(request.Path).Value ?? "/",
            new QueryCollection(request.Query.ToDictionary(q => q.Key, q => q.Value)), // a copy: the HttpContext is pooled
            headers,
            context.Connection.RemoteIpAddress?.ToString(),
            context.Connection.RemotePort);
    }
}
