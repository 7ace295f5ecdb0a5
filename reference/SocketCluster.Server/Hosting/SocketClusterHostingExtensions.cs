using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocketCluster.Server.Options;

namespace SocketCluster.Server;

/// <summary>The seed's socketClusterServer.attach(httpServer, options), in ASP.NET Core style.</summary>
public static class SocketClusterHostingExtensions
{
    /// <summary>Registers the server as a singleton with the given options (validated when it is first resolved).</summary>
    /// <remarks>
    /// The options go through the options pattern, so later <c>services.Configure&lt;SocketClusterServerOptions&gt;(...)</c>
    /// calls (e.g. a fixture's command-line flags) apply on top of <paramref name="configure"/>.
    /// Unless the app sets Kestrel's <c>Limits.MaxConcurrentConnections</c> or <c>MaxConcurrentUpgradedConnections</c>
    /// itself, together they are capped at the process's soft open-files limit minus the descriptors already open and a
    /// reserve of 256, so connections beyond what the process can hold are refused rather than exhausting descriptors
    /// the runtime needs (where no limit is known, they are left unset).
    /// </remarks>
    public static IServiceCollection AddSocketCluster(this IServiceCollection services, Action<SocketClusterServerOptions>? configure = null)
    {
        var builder = services.AddOptions<SocketClusterServerOptions>();
        if (configure is not null) builder.Configure(configure);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<SocketClusterServerOptions>>().Value);
        services.TryAddSingleton(sp =>
            new SocketClusterServer(sp.GetRequiredService<SocketClusterServerOptions>(), sp.GetService<ILoggerFactory>()));
        services.AddHostedService<SocketClusterShutdown>();
        // Connections beyond what the open-files limit can hold are refused by Kestrel, not fatal to the process.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<KestrelServerOptions>, OpenFilesConnectionLimit>());
        return services;
    }

    /// <summary>
    /// Registers the server with options bound from a configuration section by their official names, e.g.
    /// <c>services.AddSocketCluster(builder.Configuration.GetSection("SocketCluster"))</c> over appsettings.json
    /// <c>"SocketCluster": { "pingInterval": 8000, "ackTimeout": "00:00:10", "origins": "*:*" }</c>, then
    /// <paramref name="configure"/>. A duration as a plain number is milliseconds, the official unit, and a string is a
    /// TimeSpan ("c" format); an unknown key or a bad value fails at start-up naming the option
    /// (<see cref="InvalidSocketClusterOptionsException"/>); see <see cref="SocketClusterServerOptions.BindConfiguration"/>.
    /// </summary>
    public static IServiceCollection AddSocketCluster(this IServiceCollection services, IConfiguration section, Action<SocketClusterServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<SocketClusterServerOptions>().Configure(o => o.BindConfiguration(section));
        return services.AddSocketCluster(configure);
    }

    /// <summary>
    /// Attaches the server to the app: WebSocket upgrades at exactly <paramref name="path"/> become SocketCluster
    /// sockets. Returns the server (listener('connection'), exchange, setMiddleware...). Invalid options throw here,
    /// at start-up, with a message naming the option.
    /// </summary>
    public static SocketClusterServer MapSocketCluster(this WebApplication app, string? path = null)
    {
        // The path given here is the path option (the server is created on first resolve, so it takes it).
        if (path is not null) app.Services.GetRequiredService<SocketClusterServerOptions>().Path = path;
        var server = app.Services.GetRequiredService<SocketClusterServer>();
        if (path is not null && !string.Equals(path, server.Options.Path, StringComparison.Ordinal))
            throw new InvalidSocketClusterOptionsException("path",
                $"MapSocketCluster(\"{path}\") comes after the server was created with path '{server.Options.Path}'; set options.Path instead");
        app.UseWebSockets();
        app.Use(server.HandleAsync);
        return server;
    }
}
