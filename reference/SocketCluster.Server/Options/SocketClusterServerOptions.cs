using SocketCluster.Server.Auth;
using SocketCluster.Server.Broker;

namespace SocketCluster.Server.Options;

/// <summary>What the server does with socket streams once a socket has ended (socketStreamCleanupMode).</summary>
public enum SocketStreamCleanupMode
{
    /// <summary>End receiver and procedure streams at once, dropping unread items (the official default).</summary>
    Kill,
    /// <summary>End them after their consumers have read what is buffered.</summary>
    Close,
    /// <summary>Leave them open.</summary>
    None,
}

/// <summary>
/// Server options with the official names and defaults of socketcluster-server 20.0.1.
/// Times are in milliseconds, authDefaultExpiry in seconds. Invalid values fail at start-up
/// (<see cref="SocketClusterServerOptionsValidator"/>), each with a message naming the option.
/// </summary>
public sealed class SocketClusterServerOptions
{
    /// <summary>The exact upgrade path; any other path gets HTTP 400 (compared without the query string).</summary>
    public string Path { get; set; } = "/socketcluster/";

    /// <summary>1: pings "#1"/pongs "#2"; 2: empty text frames. Nothing else changes with it.</summary>
    public int ProtocolVersion { get; set; } = 2;

    public int PingInterval { get; set; } = 8000;
    public int PingTimeout { get; set; } = 30000;

    /// <summary>No pings and no pong watchdog (the client must disable its ping watchdog too).</summary>
    public bool PingTimeoutDisabled { get; set; }

    public int AckTimeout { get; set; } = 10000;
    public int HandshakeTimeout { get; set; } = 10000;

    /// <summary>Any message before #handshake closes the socket with 4009.</summary>
    public bool StrictHandshake { get; set; } = true;

    public bool AllowClientPublish { get; set; } = true;

    /// <summary>Maximum channels per socket; null means no limit.</summary>
    public int? SocketChannelLimit { get; set; }

    /// <summary>Maximum inbound message size in bytes; null means the ws default of 100 MiB. Larger → close 1009.</summary>
    public long? MaxPayload { get; set; }

    /// <summary>Allowed origins as 'host:port' patterns separated by commas or spaces, '*' allowed on either side.</summary>
    public string Origins { get; set; } = "*:*";

    /// <summary>The HMAC secret (UTF-8 bytes, at least 32). Null: 32 random bytes as hex, so tokens do not survive restarts.</summary>
    public string? AuthKey { get; set; }

    /// <summary>Signing algorithm and verify whitelist (HS256, HS384 or HS512); null: sign HS256, accept all three.</summary>
    public string? AuthAlgorithm { get; set; }

    /// <summary>Overrides the verify whitelist.</summary>
    public IReadOnlyList<string>? AuthVerifyAlgorithms { get; set; }

    /// <summary>Seconds; applied as expiresIn unless the payload has its own exp.</summary>
    public long AuthDefaultExpiry { get; set; } = 86400;

    public bool BatchOnHandshake { get; set; }
    public int BatchOnHandshakeDuration { get; set; } = 400;
    public int BatchInterval { get; set; } = 50;

    /// <summary>Blocked middleware actions are also emitted as socket 'error' and server 'warning'.</summary>
    public bool MiddlewareEmitFailures { get; set; } = true;

    public SocketStreamCleanupMode SocketStreamCleanupMode { get; set; } = SocketStreamCleanupMode.Kill;

    /// <summary>The broker behind the exchange; null: <see cref="InMemoryBroker"/>.</summary>
    public IBroker? Broker { get; set; }

    /// <summary>Token signing and verification; null: <see cref="JwtAuthEngine"/>.</summary>
    public IAuthEngine? AuthEngine { get; set; }

    /// <summary>Capacity of each receiver/procedure/middleware stream; a full stream delays only its own socket.</summary>
    public int StreamCapacity { get; set; } = 1024;

    /// <summary>Capacity of each listener (event) stream; a full listener drops events rather than blocking the server.</summary>
    public int ListenerCapacity { get; set; } = 10000;

    /// <summary>Inbound messages a socket may have waiting for processing before its reads pause.</summary>
    public int InboundQueueCapacity { get; set; } = 10000;

    /// <summary>How long the server waits for the peer's close frame after sending its own before it aborts.</summary>
    public int CloseTimeout { get; set; } = 5000;

    /// <summary>
    /// How typed calls (<c>Receiver&lt;T&gt;</c>, <c>Procedure&lt;TRequest&gt;</c>, <c>InvokeAsync&lt;TResult&gt;</c>,
    /// <c>End(object)</c> of a typed request) read and write .NET values; set a source-generated JsonSerializerContext
    /// as its TypeInfoResolver for trimming/AOT. Null: <see cref="SocketCluster.Protocol.ScCodec.SerializerOptions"/>.
    /// </summary>
    public System.Text.Json.JsonSerializerOptions? SerializerOptions { get; set; }

    /// <summary>The effective maximum inbound message size.</summary>
    public long EffectiveMaxPayload => MaxPayload ?? 104857600;

    internal SocketClusterServerOptions Clone() => (SocketClusterServerOptions)MemberwiseClone();
}
