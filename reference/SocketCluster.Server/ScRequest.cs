using System.Text.Json;
using SocketCluster.Protocol;

namespace SocketCluster.Server;

/// <summary>
/// An inbound RPC (the official AGRequest), yielded by <see cref="ServerSocket.Procedure"/>. Answer it once with
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

    public ServerSocket Socket => _socket;

    /// <summary>The request's cid; the response carries it as rid.</summary>
    public long Id { get; }

    public string Procedure { get; }

    /// <summary>The request data; null when the frame had no "data" key (JSON null is a Null element).</summary>
    public JsonElement? Data { get; internal set; }

    public bool HasData => Data is not null;

    public bool Sent => Volatile.Read(ref _sent) != 0;

    /// <summary>Responds without data: {"rid":N}.</summary>
    public void End() => Respond(null);

    /// <summary>Responds with data (null is sent as "data":null).</summary>
    public void End(object? data) => Respond(ScCodec.ToData(data));

    /// <summary>Responds with data that may be absent: null means no "data" key.</summary>
    public void Respond(JsonElement? data)
    {
        MarkSent();
        _socket.SendObject(Frames.Response(Id, data));
    }

    /// <summary>
    /// Responds with an error: {message, name, ...extra}. An <see cref="ScError"/> keeps its name and extra
    /// properties (the seed's BadCustomError); any other exception is named after its type.
    /// </summary>
    public void Error(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        MarkSent();
        _socket.SendObject(Frames.ErrorResponse(Id, ScError.Dehydrate(error)));
    }

    /// <summary>Responds with a plain (non-object) error value, e.g. a string.</summary>
    public void Error(JsonElement plainError)
    {
        MarkSent();
        _socket.SendObject(Frames.ErrorResponse(Id, plainError));
    }

    private void MarkSent()
    {
        if (Interlocked.Exchange(ref _sent, 1) != 0)
            throw ScErrors.InvalidAction($"Response to request {Id} has already been sent");
    }
}
