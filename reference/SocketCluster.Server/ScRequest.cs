using System.Text.Json;
using SocketCluster.Protocol;

namespace SocketCluster.Server;

/// <summary>
/// An inbound RPC (the official AGRequest), yielded by <see cref="ServerSocket.Procedure(string)"/>. Answer it once with
/// <see cref="End()"/> or <see cref="Error(Exception)"/>; a request nobody answers makes the client time out.
/// </summary>
public sealed class ScRequest
{
    private readonly ServerSocket _socket;
    private int _sent;

    internal ScRequest(ServerSocket socket, long id, string procedure, JsonElement? data)
    {
        _socket = socket;
        Id = id;
        Procedure = procedure;
        Data = data;
    }

    /// <summary>The socket the request came from.</summary>
    public ServerSocket Socket => _socket;

    /// <summary>The request's cid; the response carries it as rid.</summary>
    public long Id { get; }

    /// <summary>The procedure (event) name.</summary>
    public string Procedure { get; }

    /// <summary>The request data; null when the frame had no "data" key (JSON null is a Null element).</summary>
    public JsonElement? Data { get; internal set; }

    /// <summary>True when the frame had a "data" key.</summary>
    public bool HasData => Data is not null;

    /// <summary>True once End or Error has sent the response.</summary>
    public bool Sent => Volatile.Read(ref _sent) != 0;

    /// <summary>Responds without data: <c>{"rid":N}</c>.</summary>
    /// <exception cref="ScError">InvalidActionError: a response was already sent.</exception>
    public void End() => End((JsonElement?)null);

    /// <summary>
    /// Responds with a .NET value serialised with the server's SerializerOptions; null means no "data" key (as on
    /// the client; JSON null is <see cref="ScCodec.NullElement"/>).
    /// </summary>
    /// <exception cref="ScError">InvalidActionError: a response was already sent.</exception>
    /// <exception cref="System.Text.Json.JsonException">The data cannot be serialised (nothing is sent; the request can still be answered).</exception>
    public void End(object? data) => End(ScCodec.ToOptionalData(data, _socket.Server.Options.SerializerOptions));

    /// <summary>Responds with JSON data: null means no "data" key, so request data can be echoed as it came.</summary>
    /// <exception cref="ScError">InvalidActionError: a response was already sent.</exception>
    public void End(JsonElement? data)
    {
        MarkSent();
        _socket.SendObject(Frames.Response(Id, data));
    }

    /// <summary>
    /// Responds with an error: {message, name, ...extra}. An <see cref="ScError"/> keeps its name and extra
    /// properties (the seed's BadCustomError); any other exception is named after its type.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    /// <exception cref="ScError">InvalidActionError: a response was already sent.</exception>
    public void Error(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        MarkSent();
        _socket.SendObject(Frames.ErrorResponse(Id, ScError.Dehydrate(error)));
    }

    /// <summary>Responds with a plain (non-object) error value, e.g. a string.</summary>
    /// <exception cref="ScError">InvalidActionError: a response was already sent.</exception>
    public void Error(JsonElement plainError)
    {
        MarkSent();
        _socket.SendObject(Frames.ErrorResponse(Id, plainError));
    }

    private void MarkSent()
    {
        if (Interlocked.Exchange(ref _sent, 1) != 0)
            throw ScErrors.InvalidAction($"Response to request {Id} has already been sent");
        _watchdog?.Dispose();
    }

    private ITimer? _watchdog;

    /// <summary>Calls <paramref name="unanswered"/> if the request is still unanswered after <paramref name="timeout"/>.</summary>
    internal void Watch(TimeSpan timeout, Action unanswered)
    {
        _watchdog = TimeProvider.System.CreateTimer(_ =>
        {
            _watchdog?.Dispose();
            if (!Sent) unanswered();
        }, null, timeout, Timeout.InfiniteTimeSpan);
        if (Sent) _watchdog.Dispose(); // answered while the timer was being created
    }
}
