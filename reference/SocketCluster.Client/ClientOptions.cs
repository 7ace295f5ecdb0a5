using System.Net.WebSockets;

namespace SocketCluster.Client;

/// <summary>
/// Client options with the official names and defaults (socketcluster-client 20.0.2).
/// Durations are TimeSpans instead of milliseconds.
/// </summary>
public sealed record ClientOptions
{
    /// <summary>
    /// Options for a URL such as <c>wss://example.com/socketcluster/?a=1</c>: scheme (ws, wss, http, https), host,
    /// port, path and query on top of <paramref name="options"/> (or the defaults).
    /// </summary>
    /// <exception cref="ArgumentException">The URL is not absolute or its scheme is not ws, wss, http or https.</exception>
    public static ClientOptions FromUrl(Uri url, ClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
            throw new ArgumentException($"'{url}' is not an absolute URL such as ws://localhost:8000/socketcluster/.", nameof(url));
        var secure = url.Scheme switch
        {
            "ws" or "http" => false,
            "wss" or "https" => true,
            _ => throw new ArgumentException($"The URL scheme must be ws, wss, http or https, got '{url.Scheme}'.", nameof(url)),
        };
        return (options ?? new ClientOptions()) with
        {
            Hostname = url.IdnHost,
            Port = url.Port,
            Secure = secure,
            Path = url.AbsolutePath,
            Query = url.Query.Length > 1 ? QueryParameters.Parse(url.Query[1..]) : options?.Query,
        };
    }

    /// <summary>
    /// Options from a configuration section by their official names, e.g. appsettings.json
    /// <c>"SocketCluster": { "hostname": "example.com", "port": 8000, "ackTimeout": 10000, "autoReconnectOptions": { "initialDelay": "00:00:05" } }</c>,
    /// on top of <paramref name="options"/> (or the defaults). A duration as a plain number is milliseconds, the official
    /// unit (the stock binder would read 10000 as days), and a string is a TimeSpan in the "c" format.
    /// </summary>
    /// <exception cref="SocketCluster.Protocol.ScError">InvalidArgumentsError naming the key: a key that names no option
    /// (a typo is never ignored), a value that does not parse, or an option only code can set (authEngine,
    /// webSocketOptions, timeProvider, serializerOptions, query).</exception>
    public static ClientOptions FromConfiguration(Microsoft.Extensions.Configuration.IConfiguration section, ClientOptions? options = null)
    {
        var bound = (options ?? new ClientOptions()) with { };
        SocketCluster.Protocol.ScOptionsBinder.Bind(section, bound,
            static (option, message) => SocketCluster.Protocol.ScErrors.InvalidArguments($"The {option} option is invalid: {message}"));
        return bound;
    }

    /// <summary>Server host name; ignored when <see cref="Host"/> is set.</summary>
    public string Hostname { get; init; } = "localhost";

    /// <summary>Server port; null leaves it out of the URL (80 for ws, 443 for wss).</summary>
    public int? Port { get; init; }

    /// <summary>"name:port" form, used instead of Hostname and Port when set.</summary>
    public string? Host { get; init; }

    /// <summary>The server path; the official server compares it exactly (trailing slash included).</summary>
    public string Path { get; init; } = "/socketcluster/";

    public bool Secure { get; init; }

    /// <summary>Forces a URL scheme (official protocolScheme); null means ws or wss from <see cref="Secure"/>.</summary>
    public string? ProtocolScheme { get; init; }

    /// <summary>Query string parameters; a key may repeat. Opaque to the protocol.</summary>
    public QueryParameters? Query { get; init; }

    public bool AutoConnect { get; init; } = true;
    public bool AutoReconnect { get; init; } = true;
    public AutoReconnectOptions AutoReconnectOptions { get; init; } = new();

    /// <summary>Resubscribe pending channels right after each handshake.</summary>
    public bool AutoSubscribeOnConnect { get; init; } = true;

    /// <summary>Time allowed for the WebSocket to open (then 4007); also the initial ping watchdog.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromMilliseconds(20000);

    /// <summary>Per-call response timeout, also bounding the handshake reply (then 4003).</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromMilliseconds(10000);

    /// <summary>No ping watchdog and no stale-socket check (pings are still answered). Set it on the server too.</summary>
    public bool PingTimeoutDisabled { get; init; }

    /// <summary>Adds <see cref="TimestampParam"/>=epoch milliseconds to the URL on every connect.</summary>
    public bool TimestampRequests { get; init; }
    public string TimestampParam { get; init; } = "t";

    /// <summary>
    /// Batch outbound packets for <see cref="BatchOnHandshakeDuration"/> after each handshake (official
    /// batchOnHandshake): e.g. the resubscriptions and the offline queue go out as one JSON array frame.
    /// </summary>
    public bool BatchOnHandshake { get; init; }

    /// <summary>How long batching lasts after each handshake when <see cref="BatchOnHandshake"/> is set (0 to 2^31-1 ms).</summary>
    public TimeSpan BatchOnHandshakeDuration { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>While batching, collected packets are written every interval as one array frame (1 to 2^31-1 ms).</summary>
    public TimeSpan BatchInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>1 (ping "#1", pong "#2") or 2 (empty text frames). Must match the server.</summary>
    public int ProtocolVersion { get; init; } = 2;

    /// <summary>Storage key of the token; null derives "socketcluster.authToken.&lt;host&gt;" as the official client does.</summary>
    public string? AuthTokenName { get; init; }

    /// <summary>Token storage (official authEngine); null means a fresh in-memory store per client.</summary>
    public IAuthTokenStore? AuthEngine { get; init; }

    /// <summary>Prepended to channel names on the wire and stripped from inbound ones.</summary>
    public string? ChannelPrefix { get; init; }

    /// <summary>Capacity of every stream consumer's buffer; a full buffer holds back the socket (backpressure).</summary>
    public int StreamCapacity { get; init; } = 1024;

    /// <summary>Largest inbound message accepted (the Node ws default, 100 MiB); larger closes with 1009.</summary>
    public long MaxPayload { get; init; } = 100 * 1024 * 1024;

    /// <summary>
    /// Path of a Unix domain socket to connect through instead of TCP (official socketPath, Node only there). The
    /// URL keeps Hostname/Port/Path: the HTTP upgrade's Host header and request path come from it.
    /// </summary>
    public string? SocketPath { get; init; }

    /// <summary>Hook to adjust the underlying ClientWebSocket (official wsOptions).</summary>
    public Action<ClientWebSocketOptions>? WebSocketOptions { get; init; }

    /// <summary>Clock for timers (ack, connect, ping, reconnect).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// How typed calls (<c>InvokeAsync&lt;T&gt;</c>, <c>Receiver&lt;T&gt;</c>) read .NET values; set a source-generated
    /// JsonSerializerContext as its TypeInfoResolver for trimming/AOT. Null: <see cref="SocketCluster.Protocol.ScCodec.SerializerOptions"/>.
    /// </summary>
    public System.Text.Json.JsonSerializerOptions? SerializerOptions { get; init; }
}

/// <summary>Reconnect backoff (official autoReconnectOptions) with the official defaults.</summary>
public sealed record AutoReconnectOptions
{
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(10000);
    public TimeSpan Randomness { get; init; } = TimeSpan.FromMilliseconds(10000);
    public double Multiplier { get; init; } = 1.5;
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(60000);
}

/// <summary>Options of one Transmit/Invoke call.</summary>
public sealed record CallOptions
{
    /// <summary>Overrides the socket's ackTimeout for this call (also how long it may wait in the offline queue).</summary>
    public TimeSpan? AckTimeout { get; init; }
}

/// <summary>Options of Subscribe (official waitForAuth, data, priority).</summary>
public sealed record SubscribeOptions
{
    /// <summary>Subscribe only while authenticated (a client-side deferral; the server does not enforce it).</summary>
    public bool WaitForAuth { get; init; }

    /// <summary>Sent as the subscribe's "data" when truthy (the official client drops 0, "" and false).</summary>
    public System.Text.Json.JsonElement? Data { get; init; }

    /// <summary>Higher priorities are resubscribed first after a reconnect; never sent.</summary>
    public int? Priority { get; init; }
}
