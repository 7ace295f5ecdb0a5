using System.Text;
using SocketCluster.Protocol;

namespace SocketCluster.Server.Options;

/// <summary>Thrown at start-up for an invalid option; the message names the option and says what is allowed.</summary>
public sealed class InvalidSocketClusterOptionsException(string option, string message)
    : ArgumentException($"Invalid SocketCluster server option '{option}': {message}", option)
{
    public string Option { get; } = option;

    /// <summary>The same failure as the sc-errors InvalidOptionsError.</summary>
    public ScError ToScError() => ScErrors.InvalidOptions(Message);
}

/// <summary>Checks options once, at start-up, so a bad configuration never reaches a socket.</summary>
public static class SocketClusterServerOptionsValidator
{
    /// <summary>The smallest HMAC key IdentityModel accepts for HS256; shorter keys fail with a misleading IDX10517.</summary>
    public const int MinAuthKeyBytes = 32;

    /// <summary>The longest duration option: what Node's timers (and ours) accept, 2^31-1 ms (about 24.8 days).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMilliseconds(int.MaxValue);

    public static readonly IReadOnlyList<string> SupportedAlgorithms = ["HS256", "HS384", "HS512"];

    /// <summary>The algorithms of <see cref="SocketClusterServerOptions.AuthPrivateKey"/>/<see cref="SocketClusterServerOptions.AuthPublicKey"/>.</summary>
    public static readonly IReadOnlyList<string> AsymmetricAlgorithms = ["RS256", "ES256"];

    public static void Validate(SocketClusterServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(options.Path) || !options.Path.StartsWith('/') || options.Path.Contains('?'))
            throw Fail(nameof(options.Path), $"must start with '/' and have no query string, got '{options.Path}'");
        if (options.ProtocolVersion is not (1 or 2))
            throw Fail(nameof(options.ProtocolVersion), $"must be 1 or 2, got {options.ProtocolVersion}");
        Positive(nameof(options.PingInterval), options.PingInterval);
        Positive(nameof(options.PingTimeout), options.PingTimeout);
        Positive(nameof(options.AckTimeout), options.AckTimeout);
        Positive(nameof(options.HandshakeTimeout), options.HandshakeTimeout);
        Positive(nameof(options.BatchOnHandshakeDuration), options.BatchOnHandshakeDuration);
        Positive(nameof(options.BatchInterval), options.BatchInterval);
        Positive(nameof(options.CloseTimeout), options.CloseTimeout);
        if (options.OutboundBufferLimit is <= 0)
            throw Fail(nameof(options.OutboundBufferLimit), $"must be a positive number of bytes or null (unbounded), got {options.OutboundBufferLimit}");
        if (options.SocketChannelLimit is <= 0)
            throw Fail(nameof(options.SocketChannelLimit), $"must be a positive number of channels or null (no limit), got {options.SocketChannelLimit}");
        if (options.MaxPayload is <= 0)
            throw Fail(nameof(options.MaxPayload), $"must be a positive number of bytes or null (100 MiB), got {options.MaxPayload}");
        if (options.AuthDefaultExpiry <= 0)
            throw Fail(nameof(options.AuthDefaultExpiry), $"must be a positive number of seconds, got {options.AuthDefaultExpiry}");
        if (options.StreamCapacity <= 0) throw Fail(nameof(options.StreamCapacity), $"must be positive, got {options.StreamCapacity}");
        if (options.ListenerCapacity <= 0) throw Fail(nameof(options.ListenerCapacity), $"must be positive, got {options.ListenerCapacity}");
        if (options.InboundQueueCapacity <= 0) throw Fail(nameof(options.InboundQueueCapacity), $"must be positive, got {options.InboundQueueCapacity}");
        if (string.IsNullOrWhiteSpace(options.Origins))
            throw Fail(nameof(options.Origins), "must list at least one 'host:port' pattern (use '*:*' to allow all)");
        foreach (var origin in OriginPolicy.Split(options.Origins))
            if (!origin.Contains(':'))
                throw Fail(nameof(options.Origins), $"each pattern must be 'host:port' ('*' allowed on either side), got '{origin}'");

        if (options.AuthKey is { } key)
        {
            var bytes = Encoding.UTF8.GetByteCount(key);
            if (bytes < MinAuthKeyBytes)
                throw Fail(nameof(options.AuthKey),
                    $"must be at least {MinAuthKeyBytes} bytes (UTF-8) for HMAC signing, got {bytes}. " +
                    "The .NET JWT stack (Microsoft.IdentityModel) rejects shorter HS256 keys, and then reports a misleading " +
                    "'IDX10517: Signature validation failed. The token's kid is missing'; use a longer secret.");
        }
        var keyPair = options.AuthPrivateKey is not null || options.AuthPublicKey is not null;
        if (keyPair)
        {
            if (options.AuthPrivateKey is null) throw Fail(nameof(options.AuthPrivateKey), "must be specified if authPublicKey is specified");
            if (options.AuthPublicKey is null) throw Fail(nameof(options.AuthPublicKey), "must be specified if authPrivateKey is specified");
            if (options.AuthKey is not null) throw Fail(nameof(options.AuthKey), "must not be set together with authPrivateKey/authPublicKey");
            if (options.AuthAlgorithm is not { } asymmetric || !AsymmetricAlgorithms.Contains(asymmetric))
                throw Fail(nameof(options.AuthAlgorithm), $"must be one of {string.Join(", ", AsymmetricAlgorithms)} with authPrivateKey/authPublicKey, got '{options.AuthAlgorithm ?? "null"}'");
            try { Auth.JwtAuthEngine.AsymmetricKey(options.AuthAlgorithm, options.AuthPrivateKey); Auth.JwtAuthEngine.AsymmetricKey(options.AuthAlgorithm, options.AuthPublicKey); }
            catch (Exception e) when (e is ArgumentException or System.Security.Cryptography.CryptographicException)
            {
                throw Fail(nameof(options.AuthPrivateKey), $"authPrivateKey and authPublicKey must be PEM {(options.AuthAlgorithm == "RS256" ? "RSA" : "P-256 EC")} keys: {e.Message}");
            }
        }
        else if (options.AuthAlgorithm is { } alg && !SupportedAlgorithms.Contains(alg))
            throw Fail(nameof(options.AuthAlgorithm), $"must be one of {string.Join(", ", SupportedAlgorithms)} (shared-secret keys), or {string.Join(", ", AsymmetricAlgorithms)} with authPrivateKey/authPublicKey, got '{alg}'");
        if (options.AuthAlgorithm is "HS384" or "HS512" && options.AuthKey is { } signingKey
            && Encoding.UTF8.GetByteCount(signingKey) * 8 < Auth.JwtAuthEngine.MinimumKeyBits(options.AuthAlgorithm))
            throw Fail(nameof(options.AuthKey),
                $"must be at least {Auth.JwtAuthEngine.MinimumKeyBits(options.AuthAlgorithm) / 8} bytes (UTF-8) to sign {options.AuthAlgorithm} tokens " +
                $"(Microsoft.IdentityModel requires a key as long as the hash), got {Encoding.UTF8.GetByteCount(signingKey)}");
        if (options.AuthVerifyAlgorithms is { } algs)
        {
            if (algs.Count == 0) throw Fail(nameof(options.AuthVerifyAlgorithms), "must list at least one algorithm or be null");
            foreach (var a in algs)
                if (!(keyPair ? AsymmetricAlgorithms : SupportedAlgorithms).Contains(a))
                    throw Fail(nameof(options.AuthVerifyAlgorithms), $"must contain only {string.Join(", ", keyPair ? AsymmetricAlgorithms : SupportedAlgorithms)}, got '{a}'");
        }
    }

    private static void Positive(string option, TimeSpan value)
    {
        // At least 1 ms: durations go on the wire and into timers in whole milliseconds (pingTimeout in the handshake).
        if (value < TimeSpan.FromMilliseconds(1) || value > MaxDuration)
            throw Fail(option, $"must be a duration from 1 ms to {MaxDuration} ({int.MaxValue} ms), got {value}" +
                // The stock configuration binder reads "8000" as 8000 days.
                (value > MaxDuration && value.Ticks % TimeSpan.TicksPerDay == 0
                    ? $" (whole days: a number of milliseconds read by the stock configuration binder? AddSocketCluster(section) " +
                      $"and BindConfiguration read {value.Days} as {value.Days} ms)"
                    : ""));
    }

    /// <summary>Options are named as the official server names them (pingInterval, authKey...).</summary>
    private static InvalidSocketClusterOptionsException Fail(string option, string message) =>
        new(ScOptionsBinder.OptionName(option), message);
}
