using Microsoft.Extensions.Hosting;
using SocketCluster.Protocol;

namespace SocketCluster.Server;

/// <summary>
/// Graceful shutdown (registered by <see cref="SocketClusterHostingExtensions.AddSocketCluster(Microsoft.Extensions.DependencyInjection.IServiceCollection, System.Action{Options.SocketClusterServerOptions})"/>): when the host starts
/// stopping — before Kestrel stops — the server stops accepting sockets and closes every open one with 1001 (going
/// away), which ends each socket's receiver and procedure streams as any close does, so clients reconnect elsewhere
/// rather than see an abnormal 1006.
/// </summary>
internal sealed class SocketClusterShutdown(SocketClusterServer server) : IHostedLifecycleService
{
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        server.Close(keepSocketsOpen: true);
        foreach (var socket in server.Clients.Values.Concat(server.PendingClients.Values)) socket.Disconnect(CloseCodes.GoingAway);
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
