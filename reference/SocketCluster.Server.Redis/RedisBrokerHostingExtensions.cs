using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using SocketCluster.Server.Options;

namespace SocketCluster.Server.Redis;

/// <summary>Registration of the Redis broker, like SignalR's AddStackExchangeRedis backplane.</summary>
public static class RedisBrokerHostingExtensions
{
    /// <summary>
    /// Makes the SocketCluster server registered by AddSocketCluster a node of a cluster over Redis:
    /// <c>builder.Services.AddSocketCluster(...).AddRedisBroker("localhost:6379")</c>. Lost or unreachable Redis is
    /// reported on the server's 'error' stream as a BrokerError.
    /// </summary>
    public static IServiceCollection AddRedisBroker(this IServiceCollection services, string configuration) =>
        services.AddRedisBroker(o => o.Configuration = configuration);

    public static IServiceCollection AddRedisBroker(this IServiceCollection services, Action<RedisBrokerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new RedisBrokerOptions();
        configure(options);
        services.AddSingleton(sp => new RedisBroker(options));
        services.Replace(ServiceDescriptor.Singleton(sp =>
        {
            var serverOptions = sp.GetRequiredService<SocketClusterServerOptions>();
            var broker = sp.GetRequiredService<RedisBroker>();
            serverOptions.Broker = broker;
            var server = new SocketClusterServer(serverOptions);
            broker.ConnectionError += server.EmitError;
            return server;
        }));
        services.AddHostedService<RedisBrokerStartReport>();
        return services;
    }

    /// <summary>When the app starts (its listeners attached), reports a Redis that is unreachable on the 'error' stream.</summary>
    private sealed class RedisBrokerStartReport(SocketClusterServer server, RedisBroker broker) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (broker.UnavailableError() is { } error) server.EmitError(error);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
