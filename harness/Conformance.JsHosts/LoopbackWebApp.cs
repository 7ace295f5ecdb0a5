using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conformance.JsHosts;

/// <summary>
/// The Kestrel bootstrap of the test servers (the Chromium host's file server, scripted, broken and misbehaving
/// servers, relays): 127.0.0.1 on an ephemeral port, no logging, WebSockets on.
/// </summary>
public static class LoopbackWebApp
{
    /// <summary>A built app listening on 127.0.0.1:0 with WebSockets enabled; map the routes, then <see cref="StartAsync"/>.</summary>
    /// <param name="configure">Services to add before the app is built.</param>
    /// <param name="webSockets">WebSocket options (default: ASP.NET Core's, keep-alive pings every 2 minutes).</param>
    public static WebApplication Create(Action<WebApplicationBuilder>? configure = null, WebSocketOptions? webSockets = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseWebSockets(webSockets ?? new WebSocketOptions());
        return app;
    }

    /// <summary>Starts the app and returns the port the OS gave it.</summary>
    public static async Task<int> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address).Port;
    }

    /// <summary>Stops the app (giving up after 5 s, connections may still be open) and disposes it.</summary>
    public static async Task StopAsync(WebApplication app)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await app.StopAsync(cts.Token); } catch (OperationCanceledException) { }
        await app.DisposeAsync();
    }
}
