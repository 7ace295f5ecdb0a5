using SocketCluster.Protocol;

namespace SocketCluster.Server.Middleware;

/// <summary>
/// Hands an action to a middleware stream and waits for the verdict (the official _processMiddlewareAction):
/// a block without error, or with an error marked silent, gives the client SilentMiddlewareBlockedError.
/// </summary>
internal static class MiddlewareRunner
{
    /// <returns>null when no middleware of that type is set (the action is allowed unchanged).</returns>
    public static async Task<MiddlewareAction.AllowResult?> RunAsync(
        MiddlewareStream? stream, MiddlewareAction action, bool emitFailures, Action<Exception> emitFailure, CancellationToken cancellationToken)
    {
        if (stream is null) return null;
        await stream.WriteAsync(action, cancellationToken).ConfigureAwait(false);
        await using var registration = cancellationToken.Register(action.Abandon).ConfigureAwait(false);
        try
        {
            return await action.Completion.ConfigureAwait(false);
        }
        catch (MiddlewareAction.BlockedException blocked)
        {
            if (blocked.Abandoned) throw new OperationCanceledException(cancellationToken);
            var silent = ScErrors.SilentMiddlewareBlocked(action.Type, stream.Type);
            var error = blocked.Error;
            Exception emitted;
            Exception clientError;
            if (error is null) emitted = clientError = silent;
            else if (IsSilent(error))
            {
                emitted = error;
                clientError = silent;
            }
            else emitted = clientError = error;
            if (emitFailures) emitFailure(emitted);
            throw new ActionBlockedException(clientError);
        }
    }

    /// <summary>JS: error.silent truthy. Here: an ScError whose "silent" property is true.</summary>
    private static bool IsSilent(Exception error) =>
        error is ScError sc && sc["silent"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<bool>(out var b) && b;
}
