namespace SocketCluster.Server.Middleware;

/// <summary>A middleware blocked an action; <see cref="ClientError"/> is what the client is told (if anything).</summary>
public sealed class ActionBlockedException(Exception clientError) : Exception(clientError.Message, clientError)
{
    /// <summary>The error sent to the client (for a call that expects a response), also this exception's inner exception.</summary>
    public Exception ClientError { get; } = clientError;
}
