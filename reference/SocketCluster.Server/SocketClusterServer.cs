using System.Collections.Concurrent;
using System.Security.Cryptography;
using SocketCluster.Protocol;
using SocketCluster.Server.Auth;
using SocketCluster.Server.Broker;
using SocketCluster.Server.Middleware;
using SocketCluster.Server.Options;
using SocketCluster.Protocol.Streams;

namespace SocketCluster.Server;

/// <summary>
/// The SocketCluster server (the official AGServer), attached to an ASP.NET Core app with
/// <c>builder.Services.AddSocketCluster(...)</c> and <c>app.MapSocketCluster("/socketcluster/")</c>.
/// </summary>
public sealed partial class SocketClusterServer
{
    private readonly StreamDemux<ServerEvent> _listeners;
    private readonly ConcurrentDictionary<string, ServerSocket> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ServerSocket> _pendingClients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<MiddlewareStream, Task>> _middleware = new(StringComparer.Ordinal);
    private readonly OriginPolicy _origins;

    /// <summary>Validates the options (throwing <see cref="InvalidSocketClusterOptionsException"/> naming the option).</summary>
    public SocketClusterServer(SocketClusterServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        SocketClusterServerOptionsValidator.Validate(options);
        Options = options.Clone();
        _listeners = new StreamDemux<ServerEvent>(Options.ListenerCapacity);
        _origins = new OriginPolicy(Options.Origins);

        SignatureKey = VerificationKey = Options.AuthKey ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        if (Options.AuthPrivateKey is { } privateKey && Options.AuthPublicKey is { } publicKey)
        {
            SignatureKey = privateKey;
            VerificationKey = publicKey;
        }
        SigningAlgorithm = Options.AuthAlgorithm ?? "HS256";
        VerifyAlgorithms = Options.AuthVerifyAlgorithms
            ?? (Options.AuthAlgorithm is { } alg ? [alg] : SocketClusterServerOptionsValidator.SupportedAlgorithms);
        AuthEngine = Options.AuthEngine ?? new JwtAuthEngine();

        Broker = Options.Broker ?? new InMemoryBroker();
        Broker.Error += EmitWarning;
        Exchange = new Exchange(Broker, Options.StreamCapacity);
    }

    /// <summary>The options in force (a copy; changing it has no effect).</summary>
    public SocketClusterServerOptions Options { get; }

    public Exchange Exchange { get; }

    public IBroker Broker { get; }

    public IAuthEngine AuthEngine { get; set; }

    internal string SignatureKey { get; }
    internal string VerificationKey { get; }
    internal string SigningAlgorithm { get; }
    internal IReadOnlyList<string> VerifyAlgorithms { get; }

    /// <summary>
    /// How long a socket's processing waits, after the handshake, for each 'connection' listener to move past the
    /// event, so the app's connection loop attaches its receivers and procedures before the next message is
    /// processed (the official server guarantees this by emitting synchronously). A loop that returns to
    /// <c>await foreach</c> at once costs nothing; the bound only matters for a loop body that blocks.
    /// </summary>
    public TimeSpan ConnectionListenerWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Sockets that completed the handshake, by id.</summary>
    public IReadOnlyDictionary<string, ServerSocket> Clients => _clients;
    public int ClientsCount => _clients.Count;

    /// <summary>Sockets still in the handshake, by id.</summary>
    public IReadOnlyDictionary<string, ServerSocket> PendingClients => _pendingClients;
    public int PendingClientsCount => _pendingClients.Count;

    /// <summary>
    /// Server events by their official name, as in the official API: 'connection', 'handshake', 'connectionAbort',
    /// 'disconnection', 'closure', 'subscription', 'unsubscription', 'authentication', 'deauthentication',
    /// 'authenticationStateChange', 'badSocketAuthToken', 'error', 'warning'. The items are that event's record (e.g.
    /// <see cref="ConnectionEvent"/>) typed as <see cref="ServerEvent"/>; <see cref="Listener{TEvent}"/> with a
    /// <see cref="ServerEvents"/> name gives them typed, and a misspelt name there does not compile.
    /// </summary>
    public ConsumableStream<ServerEvent> Listener(string eventName) => _listeners.Stream(eventName);

    /// <summary>A server event's stream, typed: <c>server.Listener(ServerEvents.Connection)</c> gives <see cref="ConnectionEvent"/>s.</summary>
    public ConsumableStream<TEvent> Listener<TEvent>(ServerEventName<TEvent> eventName) where TEvent : ServerEvent
    {
        ArgumentNullException.ThrowIfNull(eventName);
        return _listeners.Stream<TEvent>(eventName.Name);
    }

    internal void Emit<TEvent>(ServerEventName<TEvent> eventName, TEvent item, List<Task>? handled = null) where TEvent : ServerEvent =>
        _listeners.Emit(eventName.Name, item, handled);

    /// <summary>Emits server 'error'.</summary>
    public void EmitError(Exception error) => Emit(ServerEvents.Error, new ErrorEvent(error));

    /// <summary>Emits server 'warning'.</summary>
    public void EmitWarning(Exception warning) => Emit(ServerEvents.Warning, new WarningEvent(warning));

    /// <summary>
    /// Sets the middleware of a type (<see cref="MiddlewareTypes"/>): a function given a stream of actions, once per
    /// socket (once per upgrade request for handshake middleware), that must allow or block each action.
    /// </summary>
    public void SetMiddleware(string type, Func<MiddlewareStream, Task> middleware)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        if (!MiddlewareTypes.All.Contains(type))
            throw ScErrors.InvalidArguments($"Middleware {type} type is not supported");
        if (!_middleware.TryAdd(type, middleware))
            throw ScErrors.InvalidAction($"Middleware {type} type has already been set");
    }

    public void RemoveMiddleware(string type) => _middleware.TryRemove(type, out _);

    public bool HasMiddleware(string type) => _middleware.ContainsKey(type);

    /// <summary>Creates a middleware stream for one socket (or upgrade) and runs the app's function on it.</summary>
    internal MiddlewareStream? StartSocketMiddleware(string type)
    {
        if (!_middleware.TryGetValue(type, out var middleware)) return null;
        var stream = new MiddlewareStream(type, Options.StreamCapacity);
        _ = RunMiddlewareFunctionAsync(middleware, stream);
        return stream;
    }

    private async Task RunMiddlewareFunctionAsync(Func<MiddlewareStream, Task> middleware, MiddlewareStream stream)
    {
        try
        {
            await Task.Run(() => middleware(stream)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            EmitError(e);
        }
    }

    internal void AddPending(ServerSocket socket) => _pendingClients[socket.Id] = socket;

    internal void PromoteToClient(ServerSocket socket)
    {
        _pendingClients.TryRemove(socket.Id, out _);
        _clients[socket.Id] = socket;
    }

    internal void RemoveSocket(ServerSocket socket)
    {
        _clients.TryRemove(socket.Id, out _);
        _pendingClients.TryRemove(socket.Id, out _);
    }

    private static long _idSequence;

    /// <summary>Like base64id: 12 random bytes and a process-wide sequence, base64 with '/'→'_' and '+'→'-' (20 chars).</summary>
    public static string GenerateId()
    {
        Span<byte> bytes = stackalloc byte[15];
        RandomNumberGenerator.Fill(bytes[..12]);
        var sequence = Interlocked.Increment(ref _idSequence);
        bytes[12] = (byte)(sequence >> 16);
        bytes[13] = (byte)(sequence >> 8);
        bytes[14] = (byte)sequence;
        return Convert.ToBase64String(bytes).Replace('/', '_').Replace('+', '-');
    }

    /// <summary>Stops accepting sockets; unless told otherwise, drops connected ones (clients see 1006).</summary>
    public void Close(bool keepSocketsOpen = false)
    {
        _closing = true;
        if (keepSocketsOpen) return;
        foreach (var socket in _clients.Values.Concat(_pendingClients.Values)) socket.Terminate();
    }

    private volatile bool _closing;
}
