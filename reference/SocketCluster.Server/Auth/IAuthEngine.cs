using System.Text.Json;
using System.Text.Json.Nodes;

namespace SocketCluster.Server.Auth;

/// <summary>
/// Signs and verifies auth tokens (the official server's authEngine: verifyToken/signToken). A verification
/// failure is reported by throwing an exception whose name says what went wrong, as jsonwebtoken does:
/// <see cref="JwtErrorNames.TokenExpiredError"/>, <see cref="JwtErrorNames.JsonWebTokenError"/>,
/// <see cref="JwtErrorNames.NotBeforeError"/>; anything else becomes AuthTokenError (AU-003, AU-004, AU-024).
/// </summary>
public interface IAuthEngine
{
    /// <summary>
    /// Verifies a token as it arrived on the wire (a JSON string, or any other JSON value; null when absent)
    /// and returns its payload.
    /// </summary>
    Task<JsonElement> VerifyTokenAsync(JsonElement? signedToken, AuthVerifyContext context);

    /// <summary>Signs the payload, adding iat and exp to it in place (the official server signs with mutatePayload).</summary>
    Task<string> SignTokenAsync(JsonObject payload, AuthSignContext context);
}

/// <summary>What verification gets: the key, the algorithm whitelist and the socket.</summary>
public sealed record AuthVerifyContext(string Key, IReadOnlyList<string> Algorithms, ServerSocket? Socket);

/// <summary>What signing gets: key, algorithm, expiresIn (seconds, null when the payload has its own exp) and claims options.</summary>
public sealed record AuthSignContext(string Key, string Algorithm, long? ExpiresIn)
{
    /// <summary>Seconds before the token becomes valid (nbf), from <see cref="AuthTokenOptions.NotBefore"/>.</summary>
    public long? NotBefore { get; init; }
    /// <summary>The iss claim.</summary>
    public string? Issuer { get; init; }
    /// <summary>The sub claim.</summary>
    public string? Subject { get; init; }
    /// <summary>The aud claim.</summary>
    public string? Audience { get; init; }
}

/// <summary>The jsonwebtoken error class names the server maps to sc-errors.</summary>
public static class JwtErrorNames
{
    /// <summary>The token's exp has passed (mapped to AuthTokenExpiredError).</summary>
    public const string TokenExpiredError = nameof(TokenExpiredError);
    /// <summary>The token is malformed or its signature is invalid (mapped to AuthTokenInvalidError).</summary>
    public const string JsonWebTokenError = nameof(JsonWebTokenError);
    /// <summary>The token's nbf is in the future (mapped to AuthTokenNotBeforeError).</summary>
    public const string NotBeforeError = nameof(NotBeforeError);
}
