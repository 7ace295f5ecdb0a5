using SocketCluster.Server.Options;

namespace SocketCluster.Sample;

/// <summary>
/// Options of the sample app. Timing defaults are the fixture's short ones (spec/fixture-app.md §3) so liveness
/// checks take seconds; <see cref="WithOfficialDefaults"/> restores the official 8000/30000/10000.
/// </summary>
public sealed record SampleServerOptions
{
    public const string DefaultAuthKey = "socketcluster-conformance-fixture-auth-key-v1";
    public const int FixturePingInterval = 1000;
    public const int FixturePingTimeout = 3000;
    public const int FixtureAckTimeout = 2000;
    public const int FixtureHandshakeTimeout = 2000;

    /// <summary>The loopback address only, as the fixture contract requires.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 = ephemeral (the in-process API's default; the command line defaults to 8000).</summary>
    public int Port { get; init; }

    public int ProtocolVersion { get; init; } = 2;
    public int PingInterval { get; init; } = FixturePingInterval;
    public int PingTimeout { get; init; } = FixturePingTimeout;
    public int AckTimeout { get; init; } = FixtureAckTimeout;
    /// <summary>Below pingTimeout, so a socket that never sends #handshake gets 4005, not 4001.</summary>
    public int HandshakeTimeout { get; init; } = FixtureHandshakeTimeout;
    public bool StrictHandshake { get; init; } = true;
    public bool PingTimeoutDisabled { get; init; }
    public bool BatchOnHandshake { get; init; }
    public int BatchOnHandshakeDuration { get; init; } = 400;
    public int BatchInterval { get; init; } = 50;

    /// <summary>At least 32 UTF-8 bytes (refused at start-up otherwise).</summary>
    public string AuthKey { get; init; } = Environment.GetEnvironmentVariable("CONFORMANCE_AUTH_KEY") is { Length: > 0 } k ? k : DefaultAuthKey;

    /// <summary>Path of socketcluster-client.min.js; null: js-client-fixtures/node_modules/... under the repository root.</summary>
    public string? ClientBundlePath { get; init; }

    /// <summary>
    /// A Redis server (StackExchange.Redis configuration, e.g. "127.0.0.1:6379"): the sample runs as a node of a cluster
    /// over the Redis broker (AddRedisBroker); null: the in-memory broker.
    /// </summary>
    public string? Redis { get; init; }

    /// <summary>Any other server option (maxPayload, socketChannelLimit, allowClientPublish...), applied last.</summary>
    public Action<SocketClusterServerOptions>? ConfigureServer { get; init; }

    /// <summary>Log level for ASP.NET Core (logs go to stderr; stdout carries only the LISTENING line).</summary>
    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Warning;

    /// <summary>The official server's timing defaults (pingInterval 8000, pingTimeout 30000, ackTimeout 10000, handshakeTimeout 10000).</summary>
    public SampleServerOptions WithOfficialDefaults() =>
        this with { PingInterval = 8000, PingTimeout = 30000, AckTimeout = 10000, HandshakeTimeout = 10000 };
}
