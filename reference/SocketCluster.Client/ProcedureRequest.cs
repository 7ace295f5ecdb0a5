using System.Text.Json;
using SocketCluster.Protocol;

namespace SocketCluster.Client;

/// <summary>
/// A request the server invoked on this client (official AGRequest). Answer it exactly once with
/// <see cref="End()"/> or <see cref="Error(Exception)"/>; the answer goes back on the connection it came from.
/// </summary>
public sealed class ProcedureRequest
{
    private readonly ClientSocket _socket;
    private readonly Transport _transport;
    private int _sent;

    internal ProcedureRequest(ClientSocket socket, Transport transport, long cid, string procedure, JsonElement? data)
    {
        _socket = socket;
        _transport = transport;
        Id = cid;
        Procedure = procedure;
        Data = data;
    }

    /// <summary>The request's cid.</summary>
    public long Id { get; }

    /// <summary>The event name the server invoked.</summary>
    public string Procedure { get; }

    /// <summary>The request data; null when the frame had no "data" key.</summary>
    public JsonElement? Data { get; }

    /// <summary>True once End or Error has sent the response.</summary>
    public bool Sent => Volatile.Read(ref _sent) == 1;

    /// <summary>Responds without data (<c>{"rid":n}</c>).</summary>
    /// <exception cref="ScError">InvalidActionError: a response was already sent.</exception>
    public void End() => Respond(Frames.Response(Id, null));

    /// <summary>Responds with JSON data; null means no "data" key (use ScCodec.NullElement for JSON null).</summary>
    /// <exception cref="ScError">InvalidActionError: a response was already sent.</exception>
    public void End(JsonElement? data) => Respond(Frames.Response(Id, data));

    /// <summary>
    /// Responds with a .NET value serialised with <see cref="ClientOptions.SerializerOptions"/>; null means no "data"
    /// key, as on the server.
    /// </summary>
    /// <exception cref="ScError">InvalidActionError: a response was already sent.</exception>
    /// <exception cref="JsonException">The data cannot be serialised (nothing is sent; the request can still be answered).</exception>
    public void End(object? data) => End(ScCodec.ToOptionalData(data, _socket.Options.SerializerOptions));

    /// <summary>Responds with an error, dehydrated as {message, name, ...extra} (no stack).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    /// <exception cref="ScError">InvalidActionError: a response was already sent.</exception>
    public void Error(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Respond(Frames.ErrorResponse(Id, ScError.Dehydrate(error)));
    }

    private ITimer? _watchdog;

    /// <summary>Calls <paramref name="unanswered"/> if the request is still unanswered after <paramref name="timeout"/>.</summary>
    internal void Watch(TimeProvider time, TimeSpan timeout, Action unanswered)
    {
        _watchdog = time.CreateTimer(_ =>
        {
            _watchdog?.Dispose();
            if (!Sent) unanswered();
        }, null, timeout, Timeout.InfiniteTimeSpan);
        if (Sent) _watchdog.Dispose(); // answered while the timer was being created
    }

    private void Respond(string frame)
    {
        if (Interlocked.Exchange(ref _sent, 1) == 1)
            throw ScErrors.InvalidAction($"Response to request {Id} has already been sent");
        _watchdog?.Dispose();
        _socket.SendResponse(_transport, frame);
    }
}
