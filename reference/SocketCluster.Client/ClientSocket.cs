using System.Text.Json;
using SocketCluster.Protocol.Streams;
using SocketCluster.Protocol;

namespace SocketCluster.Client;

/// <summary>
/// A SocketCluster client socket (official AGClientSocket). All state lives behind one lock; events, receiver
/// data, procedure requests and channel data are emitted under it, in order, and delivered to async streams by
/// one pump. Calls made before the connection is open wait in the offline queue.
/// </summary>
public sealed partial class ClientSocket : IAsyncDisposable
{
    internal readonly object Gate = new();
    internal readonly EventPump Pump = new();

    private readonly StreamDemux<SocketEvent> _listeners;
    private readonly StreamDemux<JsonElement?> _receivers;
    private readonly StreamDemux<ProcedureRequest> _procedures;
    private readonly StreamDemux<JsonElement?> _channelData;
    private readonly StreamDemux<SocketEvent> _channelEvents;
    private readonly StreamDemux<NamedSocketEvent> _allEvents;

    private ConnectionState _state = ConnectionState.Closed;
    private Transport? _transport;
    private string? _id;
    private TimeSpan _pingTimeout;
    private bool _disposed;

    /// <summary>TEST-ONLY deliberate violations (none outside the mutation self-test; see ClientFaults.cs).</summary>
    internal readonly ClientFaults Faults = ClientFaultInjection.Ambient.Value;

    internal bool Has(ClientFaults fault) => (Faults & fault) != 0;

    internal ClientSocket(ClientOptions options)
    {
        ValidateOptions(options);
        Options = options;
        AuthEngine = options.AuthEngine ?? new InMemoryAuthTokenStore();
        AuthTokenName = options.AuthTokenName ?? DeriveAuthTokenName(options);
        _pingTimeout = options.ConnectTimeout;
        _listeners = new(options.StreamCapacity, Pump);
        _receivers = new(options.StreamCapacity, Pump);
        _procedures = new(options.StreamCapacity, Pump);
        _channelData = new(options.StreamCapacity, Pump);
        _channelEvents = new(options.StreamCapacity, Pump);
        _allEvents = new(options.StreamCapacity, Pump);
        if (options.AutoConnect) Connect();
    }

    public ClientOptions Options { get; private set; }

    /// <summary>'connecting', 'open' or 'closed' (official state).</summary>
    public ConnectionState State { get { lock (Gate) return _state; } }

    /// <summary>The server-assigned socket id; null while not connected.</summary>
    public string? Id { get { lock (Gate) return _id; } }

    /// <summary>The ping watchdog period: ConnectTimeout until the first handshake, then the server's pingTimeout.</summary>
    public TimeSpan PingTimeout { get { lock (Gate) return _pingTimeout; } }

    public int ProtocolVersion => Options.ProtocolVersion;

    public IAuthTokenStore AuthEngine { get; private set; }

    public string AuthTokenName { get; private set; }

    /// <summary>The URL the next connection uses.</summary>
    public Uri Uri => SocketUri.Build(Options, Options.TimeProvider);

    // ---- Listeners ----

    /// <summary>The socket's event stream of that name (see <see cref="ClientEvents"/>).</summary>
    public ConsumableStream<SocketEvent> Listener(string eventName) => _listeners.Stream(eventName);

    /// <summary>The event stream typed by its event record (e.g. Listener&lt;ConnectEvent&gt;("connect")).</summary>
    public ConsumableStream<TEvent> Listener<TEvent>(string eventName) where TEvent : SocketEvent => _listeners.Stream<TEvent>(eventName);

    /// <summary>The event stream typed by its name: <c>Listener(ClientEvents.Connect)</c> gives <see cref="ConnectEvent"/>s.</summary>
    public ConsumableStream<TEvent> Listener<TEvent>(ClientEventName<TEvent> eventName) where TEvent : SocketEvent
    {
        ArgumentNullException.ThrowIfNull(eventName);
        return _listeners.Stream<TEvent>(eventName.Name);
    }

    /// <summary>Data transmitted by the server under that event name (null = no "data" key).</summary>
    public ConsumableStream<JsonElement?> Receiver(string receiverName) => _receivers.Stream(receiverName);

    /// <summary>
    /// The receiver's data read as T with <see cref="ClientOptions.SerializerOptions"/> (absent data reads as default);
    /// data that does not fit T is skipped and reported on the 'error' listener, so one bad message never ends the loop.
    /// </summary>
    public IAsyncEnumerable<T?> Receiver<T>(string receiverName) =>
        Receiver(receiverName).As<T>(Options.SerializerOptions, (_, e) =>
            EmitError(ScErrors.InvalidArguments($"Receiver {receiverName} got data that is not a {typeof(T).Name}: {e.Message}")));

    /// <summary>
    /// Requests the server invokes under that name. Without a consumer, a request gets no response at all
    /// (the server times out), as with the official client.
    /// </summary>
    public ConsumableStream<ProcedureRequest> Procedure(string procedureName) => _procedures.Stream(procedureName);

    public void CloseListener(string eventName) => _listeners.Close(eventName);
    public void CloseReceiver(string receiverName) => _receivers.Close(receiverName);
    public void CloseProcedure(string procedureName) => _procedures.Close(procedureName);
    public void KillListener(string eventName) => _listeners.Kill(eventName);
    public void KillReceiver(string receiverName) => _receivers.Kill(receiverName);
    public void KillProcedure(string procedureName) => _procedures.Kill(procedureName);

    /// <summary>Emits an event on the socket's listeners (official emit), e.g. an application error.</summary>
    public void Emit(string eventName, SocketEvent value)
    {
        lock (Gate) EmitEvent(eventName, value);
    }

    /// <summary>
    /// Every socket and channel event in one stream, in exact emission order (not in the official API; useful
    /// for recording and for asserting the order of events across names). Channel events are named "channel/event".
    /// </summary>
    public ConsumableStream<NamedSocketEvent> AllEvents() => _allEvents.Stream("*");

    internal void EmitEvent(string eventName, SocketEvent value)
    {
        _listeners.Emit(eventName, value);
        _allEvents.Emit("*", new NamedSocketEvent(eventName, value));
    }

    /// <summary>Emits on a channel listener ("channel/event").</summary>
    private void EmitChannelEvent(string channelName, string eventName, SocketEvent value)
    {
        var key = $"{channelName}/{eventName}";
        _channelEvents.Emit(key, value);
        _allEvents.Emit("*", new NamedSocketEvent(key, value, channelName));
    }

    /// <summary>Completes when every event emitted so far has reached its consumers' buffers.</summary>
    internal Task FlushEventsAsync() => Pump.DrainAsync();

    private void EmitError(Exception error) => EmitEvent(ClientEvents.Error, new ErrorEvent(error));

    internal void OnTransportError(Transport transport, Exception error)
    {
        if (transport == _transport) EmitError(error);
    }

    /// <summary>Disconnects with 1000 (no reconnect), ends every stream and waits for their delivery.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (Gate)
        {
            if (_disposed) return;
            Disconnect();
            _disposed = true;
            CancelReconnect();
            _isBatching = false;
            StopBatchTimers();
            _listeners.CloseAll();
            _receivers.CloseAll();
            _procedures.CloseAll();
            _channelData.CloseAll();
            _channelEvents.CloseAll();
            _allEvents.CloseAll();
        }
        await Pump.CompleteAsync().ConfigureAwait(false);
    }

    private static void ValidateOptions(ClientOptions options)
    {
        if (options.ProtocolVersion is not (1 or 2))
            throw ScErrors.InvalidArguments("The protocolVersion option must be 1 or 2");
        var max = TimeSpan.FromMilliseconds(int.MaxValue);
        if (options.ConnectTimeout > max || options.ConnectTimeout < TimeSpan.Zero)
            throw ScErrors.InvalidArguments("The connectTimeout value provided exceeded the maximum amount allowed");
        if (options.AckTimeout > max || options.AckTimeout < TimeSpan.Zero)
            throw ScErrors.InvalidArguments("The ackTimeout value provided exceeded the maximum amount allowed");
        if (options.BatchInterval < TimeSpan.FromMilliseconds(1) || options.BatchInterval > max)
            throw ScErrors.InvalidArguments("The batchInterval option must be at least 1 ms and at most 2147483647 ms");
        if (options.BatchOnHandshakeDuration < TimeSpan.Zero || options.BatchOnHandshakeDuration > max)
            throw ScErrors.InvalidArguments("The batchOnHandshakeDuration option must be at least 0 ms and at most 2147483647 ms");
        if (options.StreamCapacity < 1)
            throw ScErrors.InvalidArguments("The streamCapacity option must be at least 1");
        if (options.SocketPath is { Length: 0 })
            throw ScErrors.InvalidArguments("The socketPath option must be a non-empty path or null");
    }

    /// <summary>socketcluster.authToken.&lt;host&gt; or .&lt;hostname&gt;[:&lt;port&gt;] (official, since 18.x).</summary>
    internal static string DeriveAuthTokenName(ClientOptions options) =>
        options.Host is { Length: > 0 } host
            ? $"socketcluster.authToken.{host}"
            : $"socketcluster.authToken.{(string.IsNullOrEmpty(options.Hostname) ? "localhost" : options.Hostname)}{(options.Port is { } p and not 0 ? $":{p}" : "")}";
}
