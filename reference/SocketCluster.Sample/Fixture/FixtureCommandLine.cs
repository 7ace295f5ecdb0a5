using SocketCluster.Server;
using SocketCluster.Server.Options;

namespace SocketCluster.Sample.Fixture;

/// <summary>Thrown for a bad command line; the message says what is wrong (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The fixture's command line (spec/fixture-app.md §3, plus --client-bundle). Every server flag is a setter of
/// <see cref="SocketClusterServerOptions"/>, applied by <see cref="ApplyTo"/> on top of the contract's defaults:
/// [--port 8000] [--protocol 1|2] [--ping-interval ms] [--ping-timeout ms] [--ack-timeout ms] [--handshake-timeout ms]
/// [--ping-timeout-disabled] [--no-strict-handshake] [--batch-on-handshake] [--batch-on-handshake-duration ms]
/// [--batch-interval ms] [--auth-key K] [--official-defaults] [--client-bundle path] [--redis host:port] [--exit-on-stdin-close] [--verbose].
/// PORT and CONFORMANCE_AUTH_KEY in the environment set the default port and key.
/// </summary>
public sealed class FixtureCommandLine
{
    public const int DefaultPort = 8000;

    public const string Usage =
        "usage: SocketCluster.Sample [--port 8000] [--protocol 1|2] [--ping-interval ms] [--ping-timeout ms] [--ack-timeout ms] " +
        "[--handshake-timeout ms] [--ping-timeout-disabled] [--no-strict-handshake] [--batch-on-handshake] " +
        "[--batch-on-handshake-duration ms] [--batch-interval ms] [--auth-key K] [--official-defaults] [--client-bundle path] " +
        "[--redis host:port] [--exit-on-stdin-close] [--verbose]";

    private readonly List<Action<SocketClusterServerOptions>> _flags = [];
    private string? _environmentAuthKey;
    private bool _officialDefaults;

    private FixtureCommandLine() { }

    public int Port { get; private set; } = DefaultPort;
    public string? ClientBundlePath { get; private set; }

    /// <summary>--redis: a Redis server (StackExchange.Redis configuration): the sample runs as a cluster node on the Redis broker (CL-001).</summary>
    public string? Redis { get; private set; }
    public bool ExitOnStdinClose { get; private set; }
    public bool Verbose { get; private set; }

    /// <summary>
    /// The contract's defaults (<see cref="ConformanceFixture.ApplyDefaults"/>), then --official-defaults, then every
    /// other flag in order: explicit flags win over --official-defaults.
    /// </summary>
    public void ApplyTo(SocketClusterServerOptions options)
    {
        ConformanceFixture.ApplyDefaults(options);
        if (_environmentAuthKey is not null) options.AuthKey = _environmentAuthKey;
        if (_officialDefaults) ConformanceFixture.ApplyOfficialTimings(options);
        foreach (var flag in _flags) flag(options);
    }

    /// <exception cref="UsageException">A flag is unknown or lacks its value, or the resulting options are invalid.</exception>
    public static FixtureCommandLine Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var line = new FixtureCommandLine();
        if (environment("PORT") is { Length: > 0 } envPort) line.Port = ParsePort("PORT", envPort);
        if (environment("CONFORMANCE_AUTH_KEY") is { Length: > 0 } envKey) line._environmentAuthKey = envKey;

        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new UsageException($"{flag} needs a value");
            void Set(Action<SocketClusterServerOptions> setter) => line._flags.Add(setter);
            switch (flag)
            {
                case "--port": line.Port = ParsePort(flag, Value()); break;
                case "--protocol":
                    var protocol = Value() switch
                    {
                        "1" => 1,
                        "2" => 2,
                        var other => throw new UsageException($"--protocol must be one of 1, 2, got \"{other}\""),
                    };
                    Set(o => o.ProtocolVersion = protocol);
                    break;
                case "--ping-interval": { var v = ParseMilliseconds(flag, Value()); Set(o => o.PingInterval = v); break; }
                case "--ping-timeout": { var v = ParseMilliseconds(flag, Value()); Set(o => o.PingTimeout = v); break; }
                case "--ack-timeout": { var v = ParseMilliseconds(flag, Value()); Set(o => o.AckTimeout = v); break; }
                case "--handshake-timeout": { var v = ParseMilliseconds(flag, Value()); Set(o => o.HandshakeTimeout = v); break; }
                case "--ping-timeout-disabled": Set(o => o.PingTimeoutDisabled = true); break;
                case "--no-strict-handshake": Set(o => o.StrictHandshake = false); break;
                case "--batch-on-handshake": Set(o => o.BatchOnHandshake = true); break;
                case "--batch-on-handshake-duration": { var v = ParseMilliseconds(flag, Value()); Set(o => o.BatchOnHandshakeDuration = v); break; }
                case "--batch-interval": { var v = ParseMilliseconds(flag, Value()); Set(o => o.BatchInterval = v); break; }
                case "--auth-key": { var v = Value(); Set(o => o.AuthKey = v); break; }
                case "--official-defaults": line._officialDefaults = true; break;
                case "--client-bundle": line.ClientBundlePath = Path.GetFullPath(Value()); break;
                case "--redis": line.Redis = Value(); break;
                case "--exit-on-stdin-close": line.ExitOnStdinClose = true; break;
                case "--verbose": line.Verbose = true; break;
                case "--help" or "-h": throw new UsageException(Usage);
                default: throw new UsageException($"unknown argument \"{flag}\"\n{Usage}");
            }
        }

        // Checked here, so a bad flag is a usage error (exit 2) rather than a failure at start-up.
        var probe = new SocketClusterServerOptions();
        line.ApplyTo(probe);
        try
        {
            SocketClusterServerOptionsValidator.Validate(probe);
        }
        catch (InvalidSocketClusterOptionsException e)
        {
            throw new UsageException(e.Message);
        }
        return line;
    }

    private static int ParsePort(string flag, string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, null, out var port) && port <= 65535
            ? port : throw new UsageException($"{flag} needs a port number 0-65535, got \"{text}\"");

    /// <summary>The duration flags are milliseconds, as the official options.</summary>
    private static TimeSpan ParseMilliseconds(string flag, string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, null, out var value) && value > 0
            ? TimeSpan.FromMilliseconds(value) : throw new UsageException($"{flag} needs a positive integer, got \"{text}\"");
}
