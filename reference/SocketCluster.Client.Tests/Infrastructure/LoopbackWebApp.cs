using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SocketCluster.Client.Tests.Infrastructure;

/// <summary>
/// The Kestrel bootstrap of the test servers (<see cref="ScriptedServer"/>, <see cref="RecordingRelay"/>):
/// 127.0.0.1 on an ephemeral port, no logging, WebSockets on.
/// </summary>
public static class LoopbackWebApp
{
    /// <summary>A built app listening on 127.0.0.1:0 with WebSockets enabled; map the routes, then <see cref="StartAsync"/>.</summary>
    public static WebApplication Create()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.UseWebSockets();
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
