using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SocketCluster.Protocol;

namespace SocketCluster.Server.Auth;

/// <summary>
/// HS256/384/512 JWTs (and RS256/ES256 with authPrivateKey/authPublicKey) compatible with the official server's
/// ag-auth (jsonwebtoken 9). The HMAC signature is
/// created and checked by Microsoft.IdentityModel; the checks around it follow jsonwebtoken's order so that every
/// failure has the name and message jsonwebtoken gives ("jwt must be provided", "jwt malformed", "invalid token",
/// "invalid algorithm", "jwt signature is required", "invalid signature", "jwt not active", "jwt expired"...).
/// Keys are the UTF-8 bytes of the secret, as in jsonwebtoken; they must be at least 32 bytes (checked at start-up).
/// </summary>
public sealed partial class JwtAuthEngine : IAuthEngine
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>The clock, in Unix milliseconds (replaceable in tests).</summary>
    public Func<long> NowMilliseconds { get; init; } = () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    [GeneratedRegex(@"^[a-zA-Z0-9\-_]+?\.[a-zA-Z0-9\-_]+?\.([a-zA-Z0-9\-_]+)?$")]
    private static partial Regex JwsShape();

    /// <inheritdoc />
    public async Task<JsonElement> VerifyTokenAsync(JsonElement? signedToken, AuthVerifyContext context)
    {
        string token;
        if (signedToken is null || signedToken.Value.ValueKind == JsonValueKind.Null) token = "";
        else if (signedToken.Value.ValueKind == JsonValueKind.String) token = signedToken.Value.GetString()!;
        else throw new ScError(ScErrorNames.InvalidArgumentsError, "Invalid token format - Token must be a string");

        if (token.Length == 0) throw JwtError("jwt must be provided");
        var parts = token.Split('.');
        if (parts.Length != 3) throw JwtError("jwt malformed");
        if (!JwsShape().IsMatch(token) || DecodeJson(parts[0]) is not { } header || !ScData.IsTruthy(header))
            throw JwtError("invalid token");

        var isJwtTyped = header.ValueKind == JsonValueKind.Object && header.TryGetProperty("typ", out var typ)
            && typ.ValueKind == JsonValueKind.String && typ.GetString() == "JWT";
        var payload = DecodeJson(parts[1]);
        if (payload is null && isJwtTyped)
            throw new ScError("SyntaxError", "Unexpected token in JSON payload");

        // jsonwebtoken checks for a signature before it checks the algorithm.
        if (parts[2].Trim().Length == 0) throw JwtError("jwt signature is required");
        var alg = header.ValueKind == JsonValueKind.Object && header.TryGetProperty("alg", out var a) && a.ValueKind == JsonValueKind.String
            ? a.GetString()! : null;
        if (alg is null || !context.Algorithms.Contains(alg)) throw JwtError("invalid algorithm");

        await VerifySignatureAsync(token, alg, context.Key).ConfigureAwait(false);

        // jsonwebtoken keeps a payload that is not a JSON object as its text; the claims checks then see nothing.
        var claims = payload ?? JsonSerializer.SerializeToElement(Encoding.UTF8.GetString(Base64UrlDecode(parts[1]) ?? []));
        var nowSeconds = Math.Floor(NowMilliseconds() / 1000.0);
        if (claims.ValueKind == JsonValueKind.Object)
        {
            if (claims.TryGetProperty("nbf", out var nbf))
            {
                if (nbf.ValueKind != JsonValueKind.Number) throw JwtError("invalid nbf value");
                if (nbf.GetDouble() > nowSeconds)
                    throw new ScError(JwtErrorNames.NotBeforeError, "jwt not active",
                        new JsonObject { ["date"] = IsoDate(nbf.GetDouble() * 1000) });
            }
            if (claims.TryGetProperty("exp", out var exp))
            {
                if (exp.ValueKind != JsonValueKind.Number) throw JwtError("invalid exp value");
                if (nowSeconds >= exp.GetDouble())
                    throw new ScError(JwtErrorNames.TokenExpiredError, "jwt expired",
                        new JsonObject { ["expiredAt"] = IsoDate(exp.GetDouble() * 1000) });
            }
        }
        return claims;
    }

    /// <summary>
    /// IdentityModel checks the HMAC; its failures are mapped to jsonwebtoken's messages. IdentityModel also wants
    /// HS384/HS512 keys at least as long as the hash (48/64 bytes) where jsonwebtoken takes any key, so for such a
    /// token and a shorter key the same HMAC is computed directly (keeps tokens from the official server valid).
    /// </summary>
    private async Task VerifySignatureAsync(string token, string alg, string key)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var asymmetric = IsAsymmetric(alg);
        if (!asymmetric && keyBytes.Length * 8 < MinimumKeyBits(alg))
        {
            if (!HmacMatches(token, alg, keyBytes)) throw JwtError("invalid signature");
            return;
        }
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKey = asymmetric ? AsymmetricKey(alg, key) : new SymmetricSecurityKey(keyBytes),
            ValidAlgorithms = [alg],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false, // checked above with jsonwebtoken's rules (no clock skew, exp inclusive)
            RequireExpirationTime = false,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = false,
            TryAllIssuerSigningKeys = true,
        };
        TokenValidationResult result;
        try
        {
            result = await _handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException)
        {
            throw MapIdentityModelError(e);
        }
        if (!result.IsValid) throw MapIdentityModelError(result.Exception);
    }

    private static bool IsAsymmetric(string alg) => alg is "RS256" or "ES256";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Alg, string Pem), AsymmetricSecurityKey> Keys = new();

    /// <summary>
    /// The PEM key (private or public) for RS256 (RSA) or ES256 (P-256), parsed once per key. Throws ArgumentException
    /// or CryptographicException for a key that is not such a PEM key (checked at start-up by the options validator).
    /// </summary>
    internal static AsymmetricSecurityKey AsymmetricKey(string alg, string pem) => Keys.GetOrAdd((alg, pem), k =>
    {
        if (k.Alg == "RS256")
        {
            var rsa = System.Security.Cryptography.RSA.Create();
            rsa.ImportFromPem(k.Pem);
            return new RsaSecurityKey(rsa);
        }
        var ecdsa = System.Security.Cryptography.ECDsa.Create();
        ecdsa.ImportFromPem(k.Pem);
        if (ecdsa.KeySize != 256) throw new ArgumentException($"ES256 needs a P-256 key, got a {ecdsa.KeySize}-bit curve");
        return new ECDsaSecurityKey(ecdsa);
    });

    /// <summary>IdentityModel's minimum HMAC key size: the hash size (IDX10720).</summary>
    internal static int MinimumKeyBits(string alg) => alg switch { "HS384" => 384, "HS512" => 512, _ => 256 };

    /// <summary>HMAC over "header.payload", compared in constant time (as jwa does).</summary>
    private static bool HmacMatches(string token, string alg, byte[] key)
    {
        var lastDot = token.LastIndexOf('.');
        var input = Encoding.ASCII.GetBytes(token[..lastDot]);
        byte[] expected = alg switch
        {
            "HS256" => System.Security.Cryptography.HMACSHA256.HashData(key, input),
            "HS384" => System.Security.Cryptography.HMACSHA384.HashData(key, input),
            _ => System.Security.Cryptography.HMACSHA512.HashData(key, input),
        };
        var actual = Base64UrlDecode(token[(lastDot + 1)..]);
        return actual is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    internal static ScError MapIdentityModelError(Exception? e) => e switch
    {
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => JwtError("invalid signature"),
        SecurityTokenInvalidAlgorithmException => JwtError("invalid algorithm"),
        SecurityTokenMalformedException => JwtError("jwt malformed"),
        _ => JwtError("invalid token"),
    };

    /// <inheritdoc />
    public Task<string> SignTokenAsync(JsonObject payload, AuthSignContext context)
    {
        if (payload.ContainsKey("exp") && context.ExpiresIn is not null)
            throw new ScError("Error", "Bad \"options.expiresIn\" option the payload already has an \"exp\" property.");
        if (payload.ContainsKey("nbf") && context.NotBefore is not null)
            throw new ScError("Error", "Bad \"options.notBefore\" option the payload already has an \"nbf\" property.");
        foreach (var (option, claim, value) in new[] { ("audience", "aud", context.Audience), ("issuer", "iss", context.Issuer), ("subject", "sub", context.Subject) })
        {
            if (value is null) continue;
            if (payload.ContainsKey(claim))
                throw new ScError("Error", $"Bad \"options.{option}\" option. The payload already has an \"{claim}\" property.");
        }

        // jsonwebtoken validates the registered time claims before signing: a non-number fails the signing (→ 4002).
        foreach (var claim in new[] { "iat", "exp", "nbf" })
            if (payload.TryGetPropertyValue(claim, out var value) && !(value is JsonValue v && v.GetValueKind() == JsonValueKind.Number))
                throw new ScError("Error", $"\"{claim}\" should be a number of seconds");

        // jsonwebtoken: iat defaults to now (seconds); nbf and exp are relative to it.
        var timestamp = payload["iat"] is JsonValue iatValue && iatValue.TryGetValue<double>(out var iat) && iat != 0
            ? iat : Math.Floor(NowMilliseconds() / 1000.0);
        payload["iat"] = ToNode(timestamp);
        if (context.NotBefore is { } nbf) payload["nbf"] = ToNode(timestamp + nbf);
        if (context.ExpiresIn is { } expiresIn) payload["exp"] = ToNode(timestamp + expiresIn);
        if (context.Audience is { } aud) payload["aud"] = aud;
        if (context.Issuer is { } iss) payload["iss"] = iss;
        if (context.Subject is { } sub) payload["sub"] = sub;

        SigningCredentials credentials;
        try
        {
            credentials = new SigningCredentials(
                IsAsymmetric(context.Algorithm) ? AsymmetricKey(context.Algorithm, context.Key) : new SymmetricSecurityKey(Encoding.UTF8.GetBytes(context.Key)),
                ToSecurityAlgorithm(context.Algorithm));
        }
        catch (Exception e) when (e is ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            throw new ScError("Error", $"Failed to sign the auth token: {e.Message}", inner: e);
        }
        try
        {
            return Task.FromResult(_handler.CreateToken(payload.ToJsonString(), credentials));
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException)
        {
            throw new ScError("Error", $"Failed to sign the auth token: {e.Message}", inner: e);
        }
    }

    private static string ToSecurityAlgorithm(string alg) => alg switch
    {
        "HS256" => SecurityAlgorithms.HmacSha256,
        "HS384" => SecurityAlgorithms.HmacSha384,
        "HS512" => SecurityAlgorithms.HmacSha512,
        "RS256" => SecurityAlgorithms.RsaSha256,
        "ES256" => SecurityAlgorithms.EcdsaSha256,
        _ => throw new ScError("Error", $"\"algorithm\" must be a valid string enum value"),
    };

    private static JsonNode ToNode(double seconds) =>
        seconds == Math.Floor(seconds) && Math.Abs(seconds) < 9e15 ? JsonValue.Create((long)seconds) : JsonValue.Create(seconds);

    private static ScError JwtError(string message) => new(JwtErrorNames.JsonWebTokenError, message);

    /// <summary>A JS Date's toISOString(), e.g. 2026-11-25T19:39:45.000Z.</summary>
    internal static string IsoDate(double milliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Floor(milliseconds)).UtcDateTime
            .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static JsonElement? DecodeJson(string segment)
    {
        if (Base64UrlDecode(segment) is not { } bytes) return null;
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[]? Base64UrlDecode(string segment)
    {
        var s = segment.Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + (4 - s.Length % 4) % 4, '=');
        try
        {
            return Convert.FromBase64String(s);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
