using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketCluster.Sample.Fixture;
using SocketCluster.Server;
using SocketCluster.Server.Redis;

namespace SocketCluster.Sample;

/// <summary>
/// The seed's server.js in C#: creates the HTTP server, attaches SocketCluster at /socketcluster/, runs the
/// connection loop with the Basic-usage example, serves the demo page and implements the fixture-app contract.
/// </summary>
public static class SampleServer
{
    /// <summary>Starts the sample on Kestrel (127.0.0.1, port 0 by default) and returns once it accepts connections.</summary>
    public static async Task<SampleServerHandle> StartAsync(SampleServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SampleServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(options.LogLevel);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Parse(options.Host), options.Port));

        // let agServer = socketClusterServer.attach(httpServer, options);
        builder.Services.AddSocketCluster(o =>
        {
            o.ProtocolVersion = options.ProtocolVersion;
            o.PingInterval = options.PingInterval;
            o.PingTimeout = options.PingTimeout;
            o.PingTimeoutDisabled = options.PingTimeoutDisabled;
            o.AckTimeout = options.AckTimeout;
            o.HandshakeTimeout = options.HandshakeTimeout;
            o.StrictHandshake = options.StrictHandshake;
            o.BatchOnHandshake = options.BatchOnHandshake;
            o.BatchOnHandshakeDuration = options.BatchOnHandshakeDuration;
            o.BatchInterval = options.BatchInterval;
            o.AuthKey = options.AuthKey;
            options.ConfigureServer?.Invoke(o);
        });
        // A node of a cluster: channels shared with every other node on the same Redis (CL-001).
        if (options.Redis is { } redis) builder.Services.AddRedisBroker(redis);

        var app = builder.Build();
        var server = app.MapSocketCluster("/socketcluster/");
        var bundle = new ClientBundle(options.ClientBundlePath ?? ClientBundle.DefaultPath());
        MapHttpRoutes(app, bundle);

        var fixture = new ConformanceFixture(server);
        fixture.InstallMiddleware();
        var lifetime = CancellationTokenSource.CreateLinkedTokenSource(app.Lifetime.ApplicationStopping);
        _ = RunConnectionLoopAsync(server, fixture, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SocketCluster.Sample"), lifetime.Token);

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(address.EndsWith('/') ? address : address + "/");
        return new SampleServerHandle(app, server, uri, options);
    }

    private static void MapHttpRoutes(WebApplication app, ClientBundle bundle)
    {
        app.MapGet("/health-check", () => Results.Text("OK", "text/plain"));
        app.MapGet("/", () => Results.Text(IndexHtml.Value, "text/html; charset=utf-8"));
        app.MapGet("/index.html", () => Results.Text(IndexHtml.Value, "text/html; charset=utf-8"));
        app.MapGet("/socketcluster-client.min.js", bundle.Serve);
        app.MapGet("/favicon.ico", () => Results.NoContent()); // keeps the browser console free of a 404
    }

    private static readonly Lazy<string> IndexHtml = new(() =>
    {
        using var stream = typeof(SampleServer).Assembly.GetManifestResourceStream("SocketCluster.Sample.public.index.html")
            ?? throw new InvalidOperationException("public/index.html is not embedded in the sample assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The seed's connection loop: for await (let {socket} of agServer.listener('connection')).</summary>
    private static async Task RunConnectionLoopAsync(SocketClusterServer server, ConformanceFixture fixture, ILogger logger, CancellationToken cancellationToken)
    {
        _ = LogAsync(server.Listener("error"), e => logger.LogError("server error: {Error}", e.Error?.Message), cancellationToken);
        _ = LogAsync(server.Listener("warning"), e => logger.LogDebug("warning: {Warning}", e.Warning?.Message), cancellationToken);
        try
        {
            await foreach (var connection in server.Listener("connection").WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var socket = connection.Socket;
                // Handle socket connection: started synchronously so the consumers exist before the next message.
                _ = SeedExample.HandleReceiverAsync(socket, logger);
                _ = SeedExample.HandleProcedureAsync(socket, logger);
                fixture.Attach(socket);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task LogAsync(IAsyncEnumerable<ServerEvent> events, Action<ServerEvent> log, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(false)) log(e);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The sample's version, reported by conformance.hello.</summary>
    internal static string Version =>
        typeof(SocketClusterServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
