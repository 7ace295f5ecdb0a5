using SocketCluster.Server.Middleware;

namespace SocketCluster.Server;

public sealed partial class ServerSocket
{
    /// <summary>Runs an action through one of this socket's middleware streams; the wait ends if the socket closes.</summary>
    private Task<MiddlewareAction.AllowResult?> RunMiddlewareAsync(MiddlewareStream? stream, MiddlewareAction action) =>
        MiddlewareRunner.RunAsync(stream, action, _options.MiddlewareEmitFailures, EmitError, _closedCts.Token);
}
