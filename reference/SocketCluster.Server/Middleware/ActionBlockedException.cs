namespace SocketCluster.Server.Middleware;

/// <summary>A middleware blocked an action; <see cref="ClientError"/> is what the client is told (if anything).</summary>
public sealed class ActionBlockedException(Exception clientError) : Exception(clientError.Message, clientError)
{
    public Exception ClientError { get; } = clientError;
}
