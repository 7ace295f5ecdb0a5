using Microsoft.Extensions.Logging;
using SocketCluster.Protocol;
using SocketCluster.Server;

namespace SocketCluster.Sample;

/// <summary>The Basic-usage guide's server code, exactly: receiver customRemoteEvent and procedure customProc.</summary>
public static class SeedExample
{
    /// <summary>for await (let data of socket.receiver('customRemoteEvent')) { ... }</summary>
    public static async Task HandleReceiverAsync(ServerSocket socket, ILogger logger)
    {
        await foreach (var data in socket.Receiver("customRemoteEvent").ConfigureAwait(false))
            logger.LogDebug("customRemoteEvent from {Socket}: {Data}", socket.Id, data?.GetRawText() ?? "(no data)");
    }

    /// <summary>
    /// for await (let request of socket.procedure('customProc')): errors with BadCustomError when data.bad is
    /// truthy, otherwise ends with 'Success'.
    /// </summary>
    public static async Task HandleProcedureAsync(ServerSocket socket, ILogger logger)
    {
        await foreach (var request in socket.Procedure("customProc").ConfigureAwait(false))
        {
            try
            {
                if (ScCodec.IsTruthy(Json.Member(request.Data, "bad")))
                {
                    request.Error(new ScError("BadCustomError", "Server failed to execute the procedure"));
                    continue;
                }
                request.End("Success");
            }
            catch (ScError e)
            {
                logger.LogWarning("customProc: {Error}", e.Message);
            }
        }
    }
}
