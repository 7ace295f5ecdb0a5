namespace SocketCluster.Protocol;

/// <summary>The error class names of sc-errors 3.0.0, as they appear in "name" on the wire.</summary>
public static class ScErrorNames
{
    public const string AuthTokenExpiredError = nameof(AuthTokenExpiredError);
    public const string AuthTokenInvalidError = nameof(AuthTokenInvalidError);
    public const string AuthTokenNotBeforeError = nameof(AuthTokenNotBeforeError);
    public const string AuthTokenError = nameof(AuthTokenError);
    public const string AuthError = nameof(AuthError);
    public const string SilentMiddlewareBlockedError = nameof(SilentMiddlewareBlockedError);
    public const string InvalidActionError = nameof(InvalidActionError);
    public const string InvalidArgumentsError = nameof(InvalidArgumentsError);
    public const string InvalidOptionsError = nameof(InvalidOptionsError);
    public const string InvalidMessageError = nameof(InvalidMessageError);
    public const string SocketProtocolError = nameof(SocketProtocolError);
    public const string ServerProtocolError = nameof(ServerProtocolError);
    public const string HTTPServerError = nameof(HTTPServerError);
    public const string ResourceLimitError = nameof(ResourceLimitError);
    public const string TimeoutError = nameof(TimeoutError);
    public const string BadConnectionError = nameof(BadConnectionError);
    public const string BrokerError = nameof(BrokerError);
    public const string ProcessExitError = nameof(ProcessExitError);
    public const string UnknownError = nameof(UnknownError);
}
