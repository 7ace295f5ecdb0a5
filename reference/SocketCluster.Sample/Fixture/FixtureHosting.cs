using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SocketCluster.Server;
using SocketCluster.Server.Options;
using SocketCluster.Server.Redis;

namespace SocketCluster.Sample.Fixture;

/// <summary>
/// The fixture-app contract (spec/fixture-app.md) behind two calls, so the seed's Program.cs stays the guide's
/// server.js: <see cref="AddConformanceFixture"/> before Build, <see cref="MapConformanceFixture"/> after MapSocketCluster.
/// </summary>
public static class FixtureHosting
{
    /// <summary>
    /// Parses the contract's command line into the server options (on top of the app's own configuration), binds
    /// 127.0.0.1 on --port (PORT, default 8000) and sends logs to stderr, so stdout carries only "LISTENING &lt;port&gt;".
    /// A bad command line prints its message on stderr and exits the process with code 2.
    /// </summary>
    public static WebApplicationBuilder AddConformanceFixture(this WebApplicationBuilder builder, string[] args)
    {
        ArgumentNullException.ThrowIfNull(builder);
        FixtureCommandLine commandLine;
        try
        {
            commandLine = FixtureCommandLine.Parse(args, Environment.GetEnvironmentVariable);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"sample: {e.Message}");
            Environment.Exit(2);
            throw;
        }
        builder.Services.Configure<SocketClusterServerOptions>(commandLine.ApplyTo);
        builder.Services.AddSingleton(commandLine);
        if (commandLine.ClientBundlePath is { } bundle) builder.Services.AddSingleton(new ClientBundle(bundle));
        // A node of a cluster: channels shared with every other node on the same Redis (CL-001).
        if (commandLine.Redis is { } redis) builder.Services.AddRedisBroker(redis);
        builder.WebHost.UseUrls($"http://127.0.0.1:{commandLine.Port}");
        ConfigureLogging(builder.Logging, commandLine.Verbose ? LogLevel.Debug : LogLevel.Warning);
        return builder;
    }

    /// <summary>
    /// Serves the contract on <paramref name="server"/>: the conformance.* procedures and middleware on every socket,
    /// /health-check, the demo page and the official client bundle; prints "LISTENING &lt;port&gt;" once started.
    /// </summary>
    public static ConformanceFixture MapConformanceFixture(this WebApplication app, SocketClusterServer server)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(server);
        var commandLine = app.Services.GetService<FixtureCommandLine>();
        MapHttpRoutes(app, app.Services.GetService<ClientBundle>() ?? new ClientBundle(ClientBundle.DefaultPath()));

        var fixture = new ConformanceFixture(server);
        fixture.InstallMiddleware();
        // A consumer created now, before the app listens, so no socket connects before the contract's consumers exist.
        var connections = server.Listener(ServerEvents.Connection).CreateConsumer();
        var stopping = app.Lifetime.ApplicationStopping;
        _ = RunAsync(connections, e => fixture.Attach(e.Socket), stopping);
        // Errors and warnings are logged by the server itself (ServerEventLog, category SocketCluster.Server).

        if (commandLine is not null)
        {
            app.Lifetime.ApplicationStarted.Register(() =>
            {
                Console.Out.WriteLine($"LISTENING {ListeningUri(app).Port}");
                Console.Out.Flush();
                Console.Error.WriteLine($"sample: serving {ListeningUri(app)} (SocketCluster at {server.Options.Path})");
                if (commandLine.ExitOnStdinClose) _ = StopOnStdinCloseAsync(app.Lifetime);
            });
        }
        return fixture;
    }

    internal static void ConfigureLogging(ILoggingBuilder logging, LogLevel level)
    {
        logging.ClearProviders();
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(level);
        // The contract blocks channels on purpose (conformance.blocked.*): those server warnings are expected noise.
        if (level > LogLevel.Debug) logging.AddFilter("SocketCluster.Server", LogLevel.Error);
    }

    /// <summary>The address Kestrel bound (port 0 becomes the real port), e.g. http://127.0.0.1:41234/.</summary>
    internal static Uri ListeningUri(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }

    /// <summary>Never outlive the process that started us: stop when stdin closes.</summary>
    private static async Task StopOnStdinCloseAsync(IHostApplicationLifetime lifetime)
    {
        await using var stdin = Console.OpenStandardInput();
        var buffer = new byte[256];
        while (await stdin.ReadAsync(buffer).ConfigureAwait(false) > 0) { }
        lifetime.StopApplication();
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
        using var stream = typeof(FixtureHosting).Assembly.GetManifestResourceStream("SocketCluster.Sample.public.index.html")
            ?? throw new InvalidOperationException("Fixture/public/index.html is not embedded in the sample assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private static async Task RunAsync<TEvent>(IAsyncEnumerable<TEvent> events, Action<TEvent> handle, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(false)) handle(e);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
