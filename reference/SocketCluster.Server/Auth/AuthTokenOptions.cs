namespace SocketCluster.Server.Auth;

/// <summary>Per-call options of <see cref="ServerSocket.SetAuthTokenAsync"/> (the official setAuthToken options).</summary>
public sealed record AuthTokenOptions
{
    /// <summary>Seconds until expiry; ignored when the payload has its own exp (the claim wins).</summary>
    public long? ExpiresIn { get; init; }
    /// <summary>Seconds before the token becomes valid (the nbf claim; official notBefore).</summary>
    public long? NotBefore { get; init; }
    /// <summary>The iss claim (official issuer).</summary>
    public string? Issuer { get; init; }
    /// <summary>The sub claim (official subject).</summary>
    public string? Subject { get; init; }
    /// <summary>The aud claim (official audience).</summary>
    public string? Audience { get; init; }

    /// <summary>Send #setAuthToken as a request and fail with AuthError when the client does not acknowledge it.</summary>
    public bool RejectOnFailedDelivery { get; init; }
}

/// <summary>Options of <see cref="ServerSocket.DeauthenticateAsync"/>.</summary>
public sealed record DeauthenticateOptions
{
    /// <summary>Send #removeAuthToken as a request and fail with BadConnectionError when it is not acknowledged.</summary>
    public bool RejectOnFailedDelivery { get; init; }
}
