using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketCluster.Server.Options;

namespace SocketCluster.Server.Tests.Infrastructure;

/// <summary>
/// The reference server on real Kestrel at 127.0.0.1:0, with short timings set per test. Pings are off by
/// default (a long interval) so frames are predictable; liveness tests set their own.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    public const string AuthKey = "socketcluster-conformance-test-auth-key-0123456789";

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();

    private TestHost(WebApplication app, SocketClusterServer server, Uri httpUrl)
    {
        _app = app;
        Server = server;
        HttpUrl = httpUrl;
        WebSocketUrl = new Uri($"ws://{httpUrl.Host}:{httpUrl.Port}{server.Options.Path}");
    }

    public SocketClusterServer Server { get; }
    public Uri HttpUrl { get; }
    public Uri WebSocketUrl { get; }

    /// <summary>Cancelled when the host is disposed; connection handlers use it.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public static async Task<TestHost> StartAsync(Action<SocketClusterServerOptions>? configure = null, Action<SocketClusterServer>? setup = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSocketCluster(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(600000);
            o.PingTimeout = TimeSpan.FromMilliseconds(600000);
            o.AckTimeout = TimeSpan.FromMilliseconds(2000);
            o.AuthKey = AuthKey;
            configure?.Invoke(o);
        });
        var app = builder.Build();
        var server = app.MapSocketCluster();
        setup?.Invoke(server);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestHost(app, server, new Uri(address));
    }

    /// <summary>Runs <paramref name="handler"/> for every connection (as the seed's connection loop, synchronously first).</summary>
    public void OnConnection(Action<ServerSocket> handler)
    {
        // The consumer is created now, before any client connects; only the loop runs in the background.
        var connections = Server.Listener(ServerEvents.Connection).CreateConsumer();
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var connection in connections.WithCancellation(Stopping)) handler(connection.Socket);
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    /// <summary>Serves procedure 'echo' (responds with its data, or without data) and 'fail' (errors) on every socket.</summary>
    public void ServeEcho()
    {
        OnConnection(socket =>
        {
            _ = Serve(socket.Procedure("echo"), request => request.Respond(request.Data));
        });
    }

    /// <summary>Consumes a stream in the background until it ends.</summary>
    public static async Task Serve<T>(IAsyncEnumerable<T> stream, Action<T> handle)
    {
        await foreach (var item in stream) handle(item);
    }

    public Task<RawClient> ConnectAsync(string query = "", int protocolVersion = 2, string? origin = null) =>
        RawClient.ConnectAsync(new Uri(WebSocketUrl + query), protocolVersion, origin);

    /// <summary>Connects and completes the handshake (asserting it succeeded).</summary>
    public async Task<RawClient> ConnectOpenAsync(string? authToken = null, int protocolVersion = 2)
    {
        var client = await ConnectAsync(protocolVersion: protocolVersion);
        var response = await client.HandshakeAsync(authToken);
        Assert.True(response.TryGetProperty("data", out _), $"handshake failed: {response}");
        return client;
    }

    /// <summary>Waits for the next 'connection' (start before connecting).</summary>
    public Task<ServerSocket> NextConnectionAsync()
    {
        var stream = Server.Listener(ServerEvents.Connection).CreateConsumer();
        return Task.Run(async () =>
        {
            await using (stream) return (await stream.NextAsync(Waits.Long)).Socket;
        });
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        Server.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await _app.DisposeAsync();
    }

    public static JsonElement Json(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }
}
