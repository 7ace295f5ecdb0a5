namespace SocketCluster.Sample;

/// <summary>Thrown for a bad command line; the message says what is wrong (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The sample's command line (the fixture flags of spec/fixture-app.md §3, plus --client-bundle):
/// [--port 8000] [--protocol 1|2] [--ping-interval ms] [--ping-timeout ms] [--ack-timeout ms] [--handshake-timeout ms]
/// [--ping-timeout-disabled] [--no-strict-handshake] [--batch-on-handshake] [--batch-on-handshake-duration ms]
/// [--batch-interval ms] [--auth-key K] [--official-defaults] [--client-bundle path] [--redis host:port] [--exit-on-stdin-close] [--verbose].
/// PORT in the environment sets the default port.
/// </summary>
public sealed record SampleCommandLine(SampleServerOptions Options, bool ExitOnStdinClose)
{
    public const int DefaultPort = 8000;

    public const string Usage =
        "usage: SocketCluster.Sample [--port 8000] [--protocol 1|2] [--ping-interval ms] [--ping-timeout ms] [--ack-timeout ms] " +
        "[--handshake-timeout ms] [--ping-timeout-disabled] [--no-strict-handshake] [--batch-on-handshake] " +
        "[--batch-on-handshake-duration ms] [--batch-interval ms] [--auth-key K] [--official-defaults] [--client-bundle path] [--redis host:port] " +
        "[--exit-on-stdin-close] [--verbose]";

    public static SampleCommandLine Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var port = DefaultPort;
        if (environment("PORT") is { Length: > 0 } envPort) port = ParsePort("PORT", envPort);
        var options = new SampleServerOptions();
        if (environment("CONFORMANCE_AUTH_KEY") is { Length: > 0 } envKey) options = options with { AuthKey = envKey };
        int? pingInterval = null, pingTimeout = null, ackTimeout = null, handshakeTimeout = null;
        var officialDefaults = false;
        var exitOnStdinClose = false;

        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new UsageException($"{flag} needs a value");
            switch (flag)
            {
                case "--port": port = ParsePort(flag, Value()); break;
                case "--protocol":
                    var protocol = Value();
                    options = options with
                    {
                        ProtocolVersion = protocol switch
                        {
                            "1" => 1,
                            "2" => 2,
                            _ => throw new UsageException($"--protocol must be one of 1, 2, got \"{protocol}\""),
                        },
                    };
                    break;
                case "--ping-interval": pingInterval = ParsePositive(flag, Value()); break;
                case "--ping-timeout": pingTimeout = ParsePositive(flag, Value()); break;
                case "--ack-timeout": ackTimeout = ParsePositive(flag, Value()); break;
                case "--handshake-timeout": handshakeTimeout = ParsePositive(flag, Value()); break;
                case "--ping-timeout-disabled": options = options with { PingTimeoutDisabled = true }; break;
                case "--no-strict-handshake": options = options with { StrictHandshake = false }; break;
                case "--batch-on-handshake": options = options with { BatchOnHandshake = true }; break;
                case "--batch-on-handshake-duration": options = options with { BatchOnHandshakeDuration = ParsePositive(flag, Value()) }; break;
                case "--batch-interval": options = options with { BatchInterval = ParsePositive(flag, Value()) }; break;
                case "--auth-key": options = options with { AuthKey = Value() }; break;
                case "--official-defaults": officialDefaults = true; break;
                case "--client-bundle": options = options with { ClientBundlePath = Path.GetFullPath(Value()) }; break;
                case "--redis": options = options with { Redis = Value() }; break;
                case "--exit-on-stdin-close": exitOnStdinClose = true; break;
                case "--verbose": options = options with { LogLevel = Microsoft.Extensions.Logging.LogLevel.Debug }; break;
                case "--help" or "-h": throw new UsageException(Usage);
                default: throw new UsageException($"unknown argument \"{flag}\"\n{Usage}");
            }
        }

        if (officialDefaults) options = options.WithOfficialDefaults();
        // Explicit flags win over --official-defaults.
        options = options with
        {
            Port = port,
            PingInterval = pingInterval ?? options.PingInterval,
            PingTimeout = pingTimeout ?? options.PingTimeout,
            AckTimeout = ackTimeout ?? options.AckTimeout,
            HandshakeTimeout = handshakeTimeout ?? options.HandshakeTimeout,
        };
        var keyBytes = System.Text.Encoding.UTF8.GetByteCount(options.AuthKey);
        if (keyBytes < 32)
            throw new UsageException($"the auth key must be at least 32 bytes (UTF-8); got {keyBytes} (HS256 keys shorter than 32 bytes are rejected by the .NET JWT stack)");
        return new SampleCommandLine(options, exitOnStdinClose);
    }

    private static int ParsePort(string flag, string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, null, out var port) && port <= 65535
            ? port : throw new UsageException($"{flag} needs a port number 0-65535, got \"{text}\"");

    private static int ParsePositive(string flag, string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, null, out var value) && value > 0
            ? value : throw new UsageException($"{flag} needs a positive integer, got \"{text}\"");
}
