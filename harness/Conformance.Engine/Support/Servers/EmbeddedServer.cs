namespace Conformance.Engine.Support;

/// <summary>
/// Options of the embedded C# reference server that the host starts for the engine: the known-good server options
/// (STEPS.md §0.1, milliseconds there, TimeSpans here as in the server options); null keeps the server's fixture defaults (spec/fixture-app.md §3).
/// </summary>
public sealed record EmbeddedServerOptions
{
    /// <summary>0: an ephemeral port.</summary>
    public int Port { get; init; }

    public int ProtocolVersion { get; init; } = 2;
    public TimeSpan? PingInterval { get; init; }
    public TimeSpan? PingTimeout { get; init; }
    public TimeSpan? AckTimeout { get; init; }
    public TimeSpan? HandshakeTimeout { get; init; }
    public TimeSpan? BatchOnHandshakeDuration { get; init; }
    public TimeSpan? BatchInterval { get; init; }
    public bool? PingTimeoutDisabled { get; init; }
    public bool? BatchOnHandshake { get; init; }
    public bool? StrictHandshake { get; init; }

    /// <summary>A Redis configuration string: the server runs as a cluster node on a Redis broker (--cluster N, CL-008); null keeps the in-memory broker.</summary>
    public string? Redis { get; init; }
}

/// <summary>A running embedded server; disposing it terminates every socket without a close frame (clients see 1006).</summary>
public interface IEmbeddedServer : IAsyncDisposable
{
    Uri WebSocketUrl { get; }

    int Port { get; }

    /// <summary>Whether the server's broker is connected (always true for the in-memory broker; a Redis broker reconnects after an outage).</summary>
    bool BrokerConnected { get; }
}

/// <summary>
/// The embedded C# reference server (the sample with the fixture app), supplied by the host: the CLI and the xunit
/// bridge register Conformance.EmbeddedSample, so the engine itself does not reference the sample. It is the default
/// target and the default known-good server.
/// </summary>
public static class EmbeddedServer
{
    public static Func<EmbeddedServerOptions, CancellationToken, Task<IEmbeddedServer>>? Factory { get; set; }

    /// <exception cref="InvalidOperationException">The host registered no embedded server.</exception>
    public static Task<IEmbeddedServer> StartAsync(EmbeddedServerOptions options, CancellationToken cancellation) =>
        (Factory ?? throw new InvalidOperationException(
            "This host has no embedded C# reference server (EmbeddedServer.Factory): use SC_TARGET=official, SC_ENDPOINT or SC_KNOWN_GOOD=official."))
        .Invoke(options, cancellation);
}
