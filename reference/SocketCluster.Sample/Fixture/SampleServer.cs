using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketCluster.Server;
using SocketCluster.Server.Options;
using SocketCluster.Server.Redis;

namespace SocketCluster.Sample.Fixture;

/// <summary>
/// The sample in-process (for tests and the conformance engine): the seed's <see cref="ServerJs"/> and the fixture
/// contract on Kestrel at 127.0.0.1, composed as Program.cs composes them.
/// </summary>
public static class SampleServer
{
    /// <summary>
    /// Starts the sample and returns once it accepts connections. The server options start from the contract's
    /// defaults (<see cref="ConformanceFixture.ApplyDefaults"/>); <paramref name="configure"/> then sets any option.
    /// </summary>
    /// <param name="redis">A Redis configuration string: run as a cluster node on the Redis broker; null: the in-memory broker.</param>
    /// <exception cref="InvalidSocketClusterOptionsException">An option is invalid.</exception>
    /// <exception cref="IOException">The port cannot be bound.</exception>
    public static async Task<SampleServerHandle> StartAsync(Action<SocketClusterServerOptions>? configure = null, int port = 0,
        string? clientBundlePath = null, LogLevel logLevel = LogLevel.Warning, CancellationToken cancellationToken = default, string? redis = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SampleServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        FixtureHosting.ConfigureLogging(builder.Logging, logLevel);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddSocketCluster(o =>
        {
            ConformanceFixture.ApplyDefaults(o);
            configure?.Invoke(o);
        });
        builder.Services.AddHostedService<ServerJs>();
        if (clientBundlePath is not null) builder.Services.AddSingleton(new ClientBundle(clientBundlePath));
        // A node of a cluster (<paramref name="redis"/>): channels shared with every other node on the same Redis (CL-001).
        if (redis is not null) builder.Services.AddRedisBroker(redis);

        var app = builder.Build();
        var server = app.MapSocketCluster("/socketcluster/");
        app.MapConformanceFixture(server);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new SampleServerHandle(app, server, FixtureHosting.ListeningUri(app));
    }

    /// <summary>The sample's version, reported by conformance.hello.</summary>
    internal static string Version =>
        typeof(SocketClusterServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
