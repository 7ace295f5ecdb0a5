using SocketCluster.Protocol;

namespace SocketCluster.Server.Middleware;

/// <summary>
/// Blocks a HANDSHAKE_SC action with <see cref="WireError"/> sent as is and the socket closed with <see cref="CloseCode"/>,
/// whatever the error's statusCode says. The official server's equivalent is a non-enumerable statusCode, which
/// dehydrateError does not serialise (js-client-fixtures/fixture-server.js does this for HS-010); a plain blocking
/// error gets statusCode 4008 added and closes with its statusCode, as officially.
/// </summary>
public sealed class HandshakeRejection(ScError wireError, int closeCode) : Exception(wireError.Message, wireError)
{
    /// <summary>The error sent to the client in the handshake response, as is.</summary>
    public ScError WireError { get; } = wireError;

    /// <summary>A sendable close code (1000-1003, 1007-1014, 3000-4999).</summary>
    public int CloseCode { get; } = ServerSocket.IsSendableCloseCode(closeCode) ? closeCode
        : throw new ArgumentOutOfRangeException(nameof(closeCode), closeCode, "The close code must be 1000-1003, 1007-1014 or 3000-4999.");
}
