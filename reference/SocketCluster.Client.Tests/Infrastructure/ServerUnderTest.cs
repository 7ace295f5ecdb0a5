using SocketCluster.Client;

namespace SocketCluster.Client.Tests.Infrastructure;

/// <summary>Options of a server implementing the fixture-app contract (spec/fixture-app.md §3).</summary>
public sealed record ServerOptions
{
    public int ProtocolVersion { get; init; } = 2;
    public int PingIntervalMs { get; init; } = 1000;
    public int PingTimeoutMs { get; init; } = 3000;
    public int AckTimeoutMs { get; init; } = 2000;

    /// <summary>The server neither pings nor enforces pongs, but still advertises PingTimeoutMs in the handshake.</summary>
    public bool PingTimeoutDisabled { get; init; }

    /// <summary>Server-side outbound batching after each handshake (official batchOnHandshake).</summary>
    public bool BatchOnHandshake { get; init; }

    /// <summary>Null keeps the server's default (400 ms on the official server).</summary>
    public int? BatchOnHandshakeDurationMs { get; init; }

    /// <summary>Null keeps the server's default (50 ms).</summary>
    public int? BatchIntervalMs { get; init; }

    /// <summary>Null means the contract's default key.</summary>
    public string? AuthKey { get; init; }

    public const string DefaultAuthKey = "socketcluster-conformance-fixture-auth-key-v1";

    public string EffectiveAuthKey => AuthKey ?? DefaultAuthKey;
}

/// <summary>
/// A server the client tests run against: anything implementing the fixture-app contract on 127.0.0.1.
/// The same tests run against every target (the official Node server, the C# reference server).
/// </summary>
public abstract class ServerUnderTest : IAsyncDisposable
{
    protected ServerUnderTest(string target, ServerOptions options)
    {
        Target = target;
        Options = options;
    }

    public string Target { get; }
    public ServerOptions Options { get; private set; }

    /// <summary>The bound port (stable across <see cref="RestartAsync"/>).</summary>
    public int Port { get; protected set; }

    public bool IsRunning { get; protected set; }

    /// <summary>Starts listening; port 0 picks a free port the first time, later starts reuse the same one.</summary>
    public abstract Task StartAsync();

    /// <summary>Stops the server abruptly; connected clients see the connection drop.</summary>
    public abstract Task StopAsync();

    /// <summary>Stops it and starts it again on the same port, optionally with other options (e.g. a new auth key).</summary>
    public async Task RestartAsync(ServerOptions? newOptions = null)
    {
        await StopAsync();
        if (newOptions is not null) Options = newOptions;
        await StartAsync();
    }

    /// <summary>Client options for this server (loopback, its port), not auto-connecting, with short timers.</summary>
    public ClientOptions ClientOptions() => new()
    {
        Hostname = "127.0.0.1",
        Port = Port,
        ProtocolVersion = Options.ProtocolVersion,
        AutoConnect = false,
        AckTimeout = TimeSpan.FromSeconds(10),
        AutoReconnectOptions = new AutoReconnectOptions
        {
            InitialDelay = TimeSpan.FromMilliseconds(200),
            Randomness = TimeSpan.FromMilliseconds(100),
            Multiplier = 1.5,
            MaxDelay = TimeSpan.FromSeconds(2),
        },
    };

    public virtual async ValueTask DisposeAsync()
    {
        if (IsRunning) await StopAsync();
        GC.SuppressFinalize(this);
    }

    public override string ToString() => Target;

    public static ServerUnderTest Create(string target, ServerOptions? options = null) => target switch
    {
        ServerTargets.Node => new NodeFixtureServer(options ?? new ServerOptions()),
        ServerTargets.CSharp => new CSharpSampleServer(options ?? new ServerOptions()),
        _ => throw new ArgumentException($"Unknown server target '{target}'.", nameof(target)),
    };
}

/// <summary>The server targets every interop test runs against (xunit theory data).</summary>
public static class ServerTargets
{
    /// <summary>The official socketcluster-server 20.0.1 via js-client-fixtures/fixture-server.js.</summary>
    public const string Node = "node";

    /// <summary>The C# reference server: reference/SocketCluster.Sample (SampleServer.StartAsync), in process.</summary>
    public const string CSharp = "csharp";

    public static TheoryData<string> All => new() { Node, CSharp };
}
