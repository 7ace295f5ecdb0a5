using System.Runtime.CompilerServices;
using System.Text.Json;
using SocketCluster.Protocol;

namespace SocketCluster.Server;

/// <summary>Typed views of the socket's receivers, procedures and invokes (JsonElement? stays available on the untyped members).</summary>
public sealed partial class ServerSocket
{
    /// <summary>
    /// The receiver's data read as T with <see cref="Options.SocketClusterServerOptions.SerializerOptions"/> (absent data
    /// reads as default). Data that does not fit T is skipped and reported as an InvalidArgumentsError on the socket's
    /// 'error' listener, so one bad message never ends the loop.
    /// </summary>
    public IAsyncEnumerable<T?> Receiver<T>(string receiverName) =>
        Receiver(receiverName).As<T>(_options.SerializerOptions, (_, e) =>
            EmitError(ScErrors.InvalidArguments($"Receiver {receiverName} got data that is not a {typeof(T).Name}: {e.Message}")));

    /// <summary>
    /// The procedure's requests with their data read as TRequest. A request whose data does not fit is answered with
    /// an InvalidArgumentsError (so the caller is not left waiting) and skipped.
    /// </summary>
    public async IAsyncEnumerable<ScRequest<TRequest>> Procedure<TRequest>(string procedureName,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var request in Procedure(procedureName).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            TRequest? data;
            try
            {
                data = ScCodec.FromData<TRequest>(request.Data, _options.SerializerOptions);
            }
            catch (JsonException e)
            {
                request.Error(ScErrors.InvalidArguments($"Procedure {procedureName} expects a {typeof(TRequest).Name}: {e.Message}"));
                continue;
            }
            yield return new ScRequest<TRequest>(request, data, _options.SerializerOptions);
        }
    }

    /// <summary>Invokes a procedure on the client and reads its response as TResult (absent data reads as default).</summary>
    /// <exception cref="ScTimeoutException">No response within ackTimeout.</exception>
    /// <exception cref="ScBadConnectionException">The socket is not open, or closed before the response.</exception>
    /// <exception cref="ScRemoteException">The client answered with an error.</exception>
    /// <exception cref="JsonException">The data cannot be serialised, or the response does not fit TResult.</exception>
    public async Task<TResult?> InvokeAsync<TResult>(string eventName, object? data, TimeSpan? ackTimeout = null, CancellationToken cancellationToken = default) =>
        ScCodec.FromData<TResult>(
            await InvokeDataAsync(eventName, ScCodec.ToData(data, _options.SerializerOptions), ackTimeout, cancellationToken).ConfigureAwait(false),
            _options.SerializerOptions);
}

/// <summary>An inbound RPC with typed data (from <see cref="ServerSocket.Procedure{TRequest}"/>); answer it once.</summary>
public sealed class ScRequest<T>
{
    private readonly JsonSerializerOptions? _serializerOptions;

    internal ScRequest(ScRequest request, T? data, JsonSerializerOptions? serializerOptions)
    {
        Request = request;
        Data = data;
        _serializerOptions = serializerOptions;
    }

    /// <summary>The untyped request (its JsonElement? data, id and socket).</summary>
    public ScRequest Request { get; }

    /// <summary>The request data read as T; default when the packet had no data.</summary>
    public T? Data { get; }

    public ServerSocket Socket => Request.Socket;

    public string Procedure => Request.Procedure;

    /// <summary>Responds without data.</summary>
    /// <exception cref="ScError">InvalidActionError: a response was already sent.</exception>
    public void End() => Request.End();

    /// <summary>Responds with data, serialised with the server's SerializerOptions.</summary>
    /// <exception cref="ScError">InvalidActionError: a response was already sent.</exception>
    /// <exception cref="JsonException">The data cannot be serialised.</exception>
    public void End(object? data) => Request.Respond(ScCodec.ToData(data, _serializerOptions));

    /// <summary>Responds with an error {message, name, ...extra} (an ScError keeps its name, e.g. BadCustomError).</summary>
    /// <exception cref="ScError">InvalidActionError: a response was already sent.</exception>
    public void Error(Exception error) => Request.Error(error);
}
