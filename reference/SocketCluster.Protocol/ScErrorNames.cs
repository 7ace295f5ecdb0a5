namespace SocketCluster.Protocol;

/// <summary>The error class names of sc-errors 3.0.0, as they appear in "name" on the wire.</summary>
public static class ScErrorNames
{
    /// <summary>"AuthTokenExpiredError".</summary>
    public const string AuthTokenExpiredError = nameof(AuthTokenExpiredError);
    /// <summary>"AuthTokenInvalidError".</summary>
    public const string AuthTokenInvalidError = nameof(AuthTokenInvalidError);
    /// <summary>"AuthTokenNotBeforeError".</summary>
    public const string AuthTokenNotBeforeError = nameof(AuthTokenNotBeforeError);
    /// <summary>"AuthTokenError".</summary>
    public const string AuthTokenError = nameof(AuthTokenError);
    /// <summary>"AuthError".</summary>
    public const string AuthError = nameof(AuthError);
    /// <summary>"SilentMiddlewareBlockedError".</summary>
    public const string SilentMiddlewareBlockedError = nameof(SilentMiddlewareBlockedError);
    /// <summary>"InvalidActionError".</summary>
    public const string InvalidActionError = nameof(InvalidActionError);
    /// <summary>"InvalidArgumentsError".</summary>
    public const string InvalidArgumentsError = nameof(InvalidArgumentsError);
    /// <summary>"InvalidOptionsError".</summary>
    public const string InvalidOptionsError = nameof(InvalidOptionsError);
    /// <summary>"InvalidMessageError".</summary>
    public const string InvalidMessageError = nameof(InvalidMessageError);
    /// <summary>"SocketProtocolError".</summary>
    public const string SocketProtocolError = nameof(SocketProtocolError);
    /// <summary>"ServerProtocolError".</summary>
    public const string ServerProtocolError = nameof(ServerProtocolError);
    /// <summary>"HTTPServerError".</summary>
    public const string HTTPServerError = nameof(HTTPServerError);
    /// <summary>"ResourceLimitError".</summary>
    public const string ResourceLimitError = nameof(ResourceLimitError);
    /// <summary>"TimeoutError".</summary>
    public const string TimeoutError = nameof(TimeoutError);
    /// <summary>"BadConnectionError".</summary>
    public const string BadConnectionError = nameof(BadConnectionError);
    /// <summary>"BrokerError".</summary>
    public const string BrokerError = nameof(BrokerError);
    /// <summary>"ProcessExitError".</summary>
    public const string ProcessExitError = nameof(ProcessExitError);
    /// <summary>"UnknownError".</summary>
    public const string UnknownError = nameof(UnknownError);
}
