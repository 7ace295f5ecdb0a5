using SocketCluster.Protocol;
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
/// Server options with the official names and defaults of socketcluster-server 20.0.1. Durations are TimeSpans
/// (the official options are milliseconds; from configuration a plain number still means milliseconds, see
/// <see cref="SocketClusterHostingExtensions.AddSocketCluster(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration, Action{SocketClusterServerOptions}?)"/>);
/// <see cref="AuthDefaultExpiry"/> stays in whole seconds like the JWT claims it sets. Invalid values fail at
/// start-up (<see cref="SocketClusterServerOptionsValidator"/>), each with a message naming the option.
/// </summary>
public sealed class SocketClusterServerOptions
{
    /// <summary>The exact upgrade path; any other path gets HTTP 400 (compared without the query string).</summary>
    public string Path { get; set; } = "/socketcluster/";

    /// <summary>1: pings "#1"/pongs "#2"; 2: empty text frames. Nothing else changes with it.</summary>
    public int ProtocolVersion { get; set; } = 2;

    /// <summary>How often the server pings each socket.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromMilliseconds(8000);

    /// <summary>A socket silent for this long is closed with 4001; sent to the client in whole milliseconds.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromMilliseconds(30000);

    /// <summary>No pings and no pong watchdog (the client must disable its ping watchdog too).</summary>
    public bool PingTimeoutDisabled { get; set; }

    /// <summary>How long a server-side InvokeAsync waits for the response.</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromMilliseconds(10000);

    /// <summary>A socket without #handshake for this long is closed with 4005.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromMilliseconds(10000);

    /// <summary>Any message before #handshake closes the socket with 4009.</summary>
    public bool StrictHandshake { get; set; } = true;

    public bool AllowClientPublish { get; set; } = true;

    /// <summary>
    /// Maximum channels per socket; null means no limit (the official default). Hardened default 10 000 (RB-031): a
    /// subscribe beyond it fails with InvalidActionError and the socket stays open.
    /// </summary>
    public int? SocketChannelLimit { get; set; } = DefaultSocketChannelLimit;

    /// <summary>
    /// Maximum inbound message size in bytes; null means the ws default of 100 MiB. Larger → close 1009 (RB-011).
    /// Hardened default 1 MiB: the official server's 100 MiB let one frame cost a few hundred MB of memory.
    /// </summary>
    public long? MaxPayload { get; set; } = DefaultMaxPayload;

    public const long DefaultMaxPayload = 1024 * 1024;
    public const int DefaultSocketChannelLimit = 10_000;

    /// <summary>Allowed origins as 'host:port' patterns separated by commas or spaces, '*' allowed on either side.</summary>
    public string Origins { get; set; } = "*:*";

    /// <summary>The HMAC secret (UTF-8 bytes, at least 32). Null: 32 random bytes as hex, so tokens do not survive restarts.</summary>
    public string? AuthKey { get; set; }

    /// <summary>
    /// Asymmetric keys (PEM) instead of <see cref="AuthKey"/>: tokens are signed with the private key and verified with
    /// the public one; <see cref="AuthAlgorithm"/> must then be RS256 (RSA keys) or ES256 (P-256 keys). Both or neither.
    /// </summary>
    public string? AuthPrivateKey { get; set; }

    public string? AuthPublicKey { get; set; }

    /// <summary>
    /// Signing algorithm and verify whitelist: HS256, HS384 or HS512 with <see cref="AuthKey"/>; RS256 or ES256 with
    /// the key pair. Null: sign HS256, accept the three HS algorithms. A token whose header names another algorithm is
    /// refused, which is what stops the HS/RS confusion (a token HMAC-signed with the public key, RB-040).
    /// </summary>
    public string? AuthAlgorithm { get; set; }

    /// <summary>Overrides the verify whitelist.</summary>
    public IReadOnlyList<string>? AuthVerifyAlgorithms { get; set; }

    /// <summary>
    /// Whole seconds, as the official option and the JWT 'exp'/'expiresIn' it sets (a TimeSpan would have to round);
    /// applied as expiresIn unless the payload has its own exp.
    /// </summary>
    public long AuthDefaultExpiry { get; set; } = 86400;

    public bool BatchOnHandshake { get; set; }
    public TimeSpan BatchOnHandshakeDuration { get; set; } = TimeSpan.FromMilliseconds(400);
    public TimeSpan BatchInterval { get; set; } = TimeSpan.FromMilliseconds(50);

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

    /// <summary>
    /// Bytes that may wait in one socket's outbound buffer (frames not yet handed to the transport) before the
    /// socket is disconnected as a slow consumer with <see cref="CloseCodes.OutboundBufferLimitExceeded"/> (4100) and a
    /// server warning; other sockets are unaffected (OB-001). A single frame larger than the limit is still sent
    /// when nothing else is waiting. Default 16 MiB; null: unbounded, as the official server.
    /// </summary>
    public long? OutboundBufferLimit { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long the server waits for the peer's close frame after sending its own before it aborts.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromMilliseconds(5000);

    /// <summary>
    /// How typed calls (<c>Receiver&lt;T&gt;</c>, <c>Procedure&lt;TRequest&gt;</c>, <c>InvokeAsync&lt;TResult&gt;</c>,
    /// <c>End(object)</c> of a typed request) read and write .NET values; set a source-generated JsonSerializerContext
    /// as its TypeInfoResolver for trimming/AOT. Null: <see cref="SocketCluster.Protocol.ScCodec.SerializerOptions"/>.
    /// </summary>
    public System.Text.Json.JsonSerializerOptions? SerializerOptions { get; set; }

    /// <summary>The effective maximum inbound message size.</summary>
    public long EffectiveMaxPayload => MaxPayload ?? 104857600;

    /// <summary>
    /// Sets the options that <paramref name="section"/> names (official camelCase names, any case): a duration as a plain
    /// number is milliseconds ("pingInterval": 8000), as a string a TimeSpan in the "c" format ("00:00:08");
    /// authDefaultExpiry is seconds; authVerifyAlgorithms an array or a comma-separated string.
    /// </summary>
    /// <exception cref="InvalidSocketClusterOptionsException">A key names no option (a typo), a value does not parse, or the
    /// option can only be set in code (broker, authEngine, serializerOptions); the message names the key.</exception>
    public void BindConfiguration(Microsoft.Extensions.Configuration.IConfiguration section) =>
        ScOptionsBinder.Bind(section, this, static (option, message) => new InvalidSocketClusterOptionsException(option, message));

    internal SocketClusterServerOptions Clone() => (SocketClusterServerOptions)MemberwiseClone();
}
