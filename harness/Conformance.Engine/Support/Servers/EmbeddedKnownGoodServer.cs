namespace Conformance.Engine.Support;

/// <summary>One running known-good server, whichever kind (STEPS.md §0.1).</summary>
public interface IKnownGoodServer : IAsyncDisposable
{
    Uri WebSocketUrl { get; }
    bool IsRunning { get; }
    string Description { get; }

    /// <summary>Stops abruptly: every socket drops without a close frame (clients see 1006); the port is kept.</summary>
    Task KillAsync();

    /// <summary>Starts again on the same port with the same options.</summary>
    Task RestartAsync(CancellationToken cancellation = default);
}

/// <summary>
/// The C# reference sample (fixture app included) in-process as the known-good server of client scenarios, so a
/// client author's run needs .NET only (issue 11 §2).
/// </summary>
public sealed class EmbeddedKnownGoodServer : IKnownGoodServer
{
    private readonly EmbeddedServerOptions _options;
    private IEmbeddedServer? _handle;
    private int _port;

    private EmbeddedKnownGoodServer(EmbeddedServerOptions options) => _options = options;

    public Uri WebSocketUrl => new($"ws://127.0.0.1:{_port}/socketcluster/");

    public bool IsRunning => _handle is not null;

    public string Description => $"embedded C# reference sample v{_options.ProtocolVersion} on port {_port}";

    public static async Task<EmbeddedKnownGoodServer> StartAsync(EmbeddedServerOptions options, CancellationToken cancellation)
    {
        var server = new EmbeddedKnownGoodServer(options with { Port = 0 });
        await server.StartOnAsync(0, cancellation).ConfigureAwait(false);
        return server;
    }

    private async Task StartOnAsync(int port, CancellationToken cancellation)
    {
        _handle = await EmbeddedServer.StartAsync(_options with { Port = port }, cancellation).ConfigureAwait(false);
        _port = _handle.Port;
    }

    /// <summary>Disposing the embedded server terminates every socket (no close frame, so 1006).</summary>
    public async Task KillAsync()
    {
        var handle = _handle;
        _handle = null;
        if (handle is not null) await handle.DisposeAsync().ConfigureAwait(false);
    }

    public Task RestartAsync(CancellationToken cancellation = default)
    {
        if (IsRunning) throw new InvalidOperationException("The embedded known-good server is still running.");
        return StartOnAsync(_port, cancellation);
    }

    public ValueTask DisposeAsync() => new(KillAsync());
}
