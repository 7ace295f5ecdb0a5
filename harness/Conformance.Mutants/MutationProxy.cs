using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Conformance.Mutants;

/// <summary>
/// A Kestrel WebSocket proxy on 127.0.0.1 (ephemeral port) in front of a known-good SocketCluster server.
/// Every WebSocket upgrade is forwarded upstream with the same path, query string and Origin; the upstream's
/// refusal status (e.g. 400 for a wrong path) is relayed as is. Once both sides are open, frames flow both ways
/// through a fresh <see cref="MutationSession"/> of the proxy's mutation.
/// </summary>
public sealed class MutationProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Uri _upstream;
    private volatile Func<MutationSession> _sessionFactory;
    private readonly List<Task> _connections = [];
    private readonly CancellationTokenSource _stopping = new();
    private int _connectionCount;

    private MutationProxy(WebApplication app, Uri upstream, Func<MutationSession> sessionFactory)
    {
        _app = app;
        _upstream = upstream;
        _sessionFactory = sessionFactory;
    }

    /// <summary>The proxy's base address, e.g. ws://127.0.0.1:41234 (no path).</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The default endpoint URL, e.g. ws://127.0.0.1:41234/socketcluster/.</summary>
    public Uri EndpointUri => new(BaseUri, "/socketcluster/");

    /// <summary>
    /// Switches what new connections get (connections already open keep their session). Lets a suite probe the
    /// server through a transparent proxy first, then turn a mutation on at the same URL.
    /// </summary>
    public void Use(Mutation mutation) => _sessionFactory = mutation.CreateSession;

    /// <summary>How many client connections have been accepted so far.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>Errors raised by mutation sessions or the relay (a healthy run has none).</summary>
    public IReadOnlyCollection<Exception> Faults => _faults;

    private readonly System.Collections.Concurrent.ConcurrentQueue<Exception> _faults = new();

    /// <param name="upstream">The known-good server's base address, e.g. ws://127.0.0.1:5000 (its path is ignored).</param>
    public static Task<MutationProxy> StartAsync(Uri upstream, Mutation mutation, CancellationToken cancellationToken = default) =>
        StartAsync(upstream, mutation.CreateSession, cancellationToken);

    public static async Task<MutationProxy> StartAsync(Uri upstream, Func<MutationSession> sessionFactory, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var proxy = new MutationProxy(app, upstream, sessionFactory);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Run(proxy.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        proxy.BaseUri = new Uri($"ws://127.0.0.1:{port}");
        return proxy;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            // Plain HTTP (e.g. /health-check) is not part of what the mutations change.
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var session = _sessionFactory();
        var path = context.Request.Path.Value ?? "/";
        var query = context.Request.QueryString.Value ?? "";
        var upstreamPath = session.UpstreamPath(path);
        if (upstreamPath is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var upstreamSocket = new ClientWebSocket();
        upstreamSocket.Options.CollectHttpResponseDetails = true;
        upstreamSocket.Options.KeepAliveInterval = TimeSpan.Zero;
        var clientOrigin = context.Request.Headers.Origin is { Count: > 0 } o ? o.ToString() : null;
        if (session.UpstreamOrigin(clientOrigin) is { } origin)
            upstreamSocket.Options.SetRequestHeader("Origin", origin);
        var target = new UriBuilder(_upstream) { Path = upstreamPath, Query = query.TrimStart('?') }.Uri;
        try
        {
            await upstreamSocket.ConnectAsync(target, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or OperationCanceledException)
        {
            var status = (int)upstreamSocket.HttpStatusCode;
            context.Response.StatusCode = status is >= 400 and < 600 ? status : StatusCodes.Status502BadGateway;
            upstreamSocket.Dispose();
            return;
        }

        using var clientSocket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        Interlocked.Increment(ref _connectionCount);
        var connection = new ProxyConnection(context, clientSocket, upstreamSocket, session, path, query, _faults.Enqueue);
        var run = connection.RunAsync(_stopping.Token);
        lock (_connections) _connections.Add(run);
        await run.ConfigureAwait(false);
        upstreamSocket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        Task[] running;
        lock (_connections) running = [.. _connections];
        await Task.WhenAny(Task.WhenAll(running), Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
