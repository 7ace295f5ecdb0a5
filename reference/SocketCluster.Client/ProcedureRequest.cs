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

    public string Procedure { get; }

    /// <summary>The request data; null when the frame had no "data" key.</summary>
    public JsonElement? Data { get; }

    public bool Sent => Volatile.Read(ref _sent) == 1;

    /// <summary>Responds without data ({"rid":n}).</summary>
    public void End() => Respond(Frames.Response(Id, null));

    /// <summary>Responds with data; null means no "data" key (use ScCodec.NullElement for JSON null).</summary>
    public void End(JsonElement? data) => Respond(Frames.Response(Id, data));

    /// <summary>Responds with a .NET value serialised as JSON.</summary>
    public void End<T>(T data) => Respond(Frames.Response(Id, ScCodec.ToData(data)));

    /// <summary>Responds with an error, dehydrated as {message, name, ...extra}.</summary>
    public void Error(Exception error) => Respond(Frames.ErrorResponse(Id, ScError.Dehydrate(error)));

    private void Respond(string frame)
    {
        if (Interlocked.Exchange(ref _sent, 1) == 1)
            throw ScErrors.InvalidAction($"Response to request {Id} has already been sent");
        _socket.SendResponse(_transport, frame);
    }
}
