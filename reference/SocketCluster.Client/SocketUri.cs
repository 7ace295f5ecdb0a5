namespace SocketCluster.Client;

/// <summary>Builds the connection URL as the official computeURI does (TR-003).</summary>
internal static class SocketUri
{
    public static Uri Build(ClientOptions options, TimeProvider time)
    {
        var scheme = options.ProtocolScheme ?? (options.Secure ? "wss" : "ws");
        var query = new QueryParameters();
        if (options.Query is not null) query.AddRange(options.Query);
        if (options.TimestampRequests)
        {
            query.RemoveAll(p => p.Key == options.TimestampParam);
            query.Add(options.TimestampParam, time.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var queryText = query.Count > 0 ? "?" + query : "";

        string host;
        if (!string.IsNullOrEmpty(options.Host)) host = options.Host;
        else
        {
            var showPort = options.Port is { } p && p != 0
                && !(scheme == "wss" && p == 443) && !(scheme == "ws" && p == 80);
            host = options.Hostname + (showPort ? $":{options.Port}" : "");
        }
        return new Uri($"{scheme}://{host}{options.Path}{queryText}");
    }
}
