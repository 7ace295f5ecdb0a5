using System.Text.Json;
using SocketCluster.Protocol;

namespace SocketCluster.Server;

/// <summary>
/// Handler-style consumers: <c>socket.Procedure("customProc", async request => ...)</c> runs the handler for each
/// request in order, like an <c>await foreach</c> loop, but a handler that throws never ends the loop silently: the
/// exception is logged (Error), reported on the socket's 'error' listener, and a request the handler left
/// unanswered is answered with the error ({message, name}, no stack).
/// </summary>
public sealed partial class ServerSocket
{
    /// <summary>
    /// Runs <paramref name="handler"/> for each event transmitted to <paramref name="receiverName"/> (null data = no
    /// "data" key), one at a time, until the socket closes, the receiver is closed or <paramref name="cancellationToken"/>
    /// is cancelled. The consumer is registered before this returns.
    /// </summary>
    /// <returns>A task that completes when the consumer stops (never faulted by the handler's exceptions).</returns>
    /// <exception cref="ArgumentNullException">A name or the handler is null.</exception>
    public Task Receiver(string receiverName, Func<JsonElement?, Task> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(receiverName);
        ArgumentNullException.ThrowIfNull(handler);
        return HandlerLoop.RunAsync(Receiver(receiverName), async data =>
        {
            try
            {
                await handler(data).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                ServerLog.ReceiverHandlerFailed(_server.Logger, receiverName, Id, e);
                ReportHandlerError(e);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="handler"/> for each event transmitted to <paramref name="receiverName"/> with its data read
    /// as T (see <see cref="Receiver{T}(string)"/>: data that does not fit T is reported and skipped).
    /// </summary>
    /// <inheritdoc cref="Receiver(string, Func{JsonElement?, Task}, CancellationToken)" path="/returns"/>
    /// <inheritdoc cref="Receiver(string, Func{JsonElement?, Task}, CancellationToken)" path="/exception"/>
    public Task Receiver<T>(string receiverName, Func<T?, Task> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Receiver(receiverName, async data =>
        {
            T? item;
            try
            {
                item = ScCodec.FromData<T>(data, _options.SerializerOptions);
            }
            catch (JsonException e)
            {
                EmitError(ScErrors.InvalidArguments($"Receiver {receiverName} got data that is not a {typeof(T).Name}: {e.Message}"));
                return;
            }
            await handler(item).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="handler"/> for each request to <paramref name="procedureName"/>, one at a time, until the
    /// socket closes, the procedure is closed or <paramref name="cancellationToken"/> is cancelled. A handler that
    /// throws is logged and reported, and its request, if unanswered, is answered with the exception.
    /// </summary>
    /// <inheritdoc cref="Receiver(string, Func{JsonElement?, Task}, CancellationToken)" path="/returns"/>
    /// <inheritdoc cref="Receiver(string, Func{JsonElement?, Task}, CancellationToken)" path="/exception"/>
    public Task Procedure(string procedureName, Func<ScRequest, Task> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(procedureName);
        ArgumentNullException.ThrowIfNull(handler);
        return HandlerLoop.RunAsync(Procedure(procedureName), request => ServeAsync(request, handler, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="handler"/> for each request to <paramref name="procedureName"/> with its data read as
    /// TRequest; a request whose data does not fit is answered with an InvalidArgumentsError and skipped.
    /// </summary>
    /// <inheritdoc cref="Procedure(string, Func{ScRequest, Task}, CancellationToken)" path="/remarks"/>
    /// <inheritdoc cref="Receiver(string, Func{JsonElement?, Task}, CancellationToken)" path="/returns"/>
    /// <inheritdoc cref="Receiver(string, Func{JsonElement?, Task}, CancellationToken)" path="/exception"/>
    public Task Procedure<TRequest>(string procedureName, Func<ScRequest<TRequest>, Task> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Procedure(procedureName, request =>
        {
            TRequest? data;
            try
            {
                data = ScCodec.FromData<TRequest>(request.Data, _options.SerializerOptions);
            }
            catch (JsonException e)
            {
                request.Error(ScErrors.InvalidArguments($"Procedure {procedureName} expects a {typeof(TRequest).Name}: {e.Message}"));
                return Task.CompletedTask;
            }
            return handler(new ScRequest<TRequest>(request, data, _options.SerializerOptions));
        }, cancellationToken);
    }

    /// <summary>The synchronous form of <see cref="Receiver(string, Func{JsonElement?, Task}, CancellationToken)"/>.</summary>
    /// <inheritdoc cref="Receiver(string, Func{JsonElement?, Task}, CancellationToken)" path="/returns"/>
    /// <inheritdoc cref="Receiver(string, Func{JsonElement?, Task}, CancellationToken)" path="/exception"/>
    public Task Receiver(string receiverName, Action<JsonElement?> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Receiver(receiverName, HandlerLoop.Synchronous(handler), cancellationToken);
    }

    /// <summary>The synchronous form of <see cref="Receiver{T}(string, Func{T, Task}, CancellationToken)"/>.</summary>
    /// <inheritdoc cref="Receiver(string, Func{JsonElement?, Task}, CancellationToken)" path="/returns"/>
    /// <inheritdoc cref="Receiver(string, Func{JsonElement?, Task}, CancellationToken)" path="/exception"/>
    public Task Receiver<T>(string receiverName, Action<T?> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Receiver(receiverName, HandlerLoop.Synchronous(handler), cancellationToken);
    }

    /// <summary>The synchronous form of <see cref="Procedure(string, Func{ScRequest, Task}, CancellationToken)"/>.</summary>
    /// <inheritdoc cref="Receiver(string, Func{JsonElement?, Task}, CancellationToken)" path="/returns"/>
    /// <inheritdoc cref="Receiver(string, Func{JsonElement?, Task}, CancellationToken)" path="/exception"/>
    public Task Procedure(string procedureName, Action<ScRequest> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Procedure(procedureName, HandlerLoop.Synchronous(handler), cancellationToken);
    }

    /// <summary>The synchronous form of <see cref="Procedure{TRequest}(string, Func{ScRequest{TRequest}, Task}, CancellationToken)"/>.</summary>
    /// <inheritdoc cref="Receiver(string, Func{JsonElement?, Task}, CancellationToken)" path="/returns"/>
    /// <inheritdoc cref="Receiver(string, Func{JsonElement?, Task}, CancellationToken)" path="/exception"/>
    public Task Procedure<TRequest>(string procedureName, Action<ScRequest<TRequest>> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Procedure(procedureName, HandlerLoop.Synchronous(handler), cancellationToken);
    }

    private async Task ServeAsync(ScRequest request, Func<ScRequest, Task> handler, CancellationToken cancellationToken)
    {
        try
        {
            await handler(request).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ServerLog.ProcedureHandlerFailed(_server.Logger, request.Procedure, Id, e);
            ReportHandlerError(e);
            if (!request.Sent)
            {
                try
                {
                    request.Error(e);
                }
                catch (ScError)
                {
                    // Answered by the handler in the meantime (a race with its own End): nothing left to answer.
                }
            }
        }
    }

    /// <summary>A handler's exception on the socket's 'error' listener (the server's log already has it).</summary>
    private void ReportHandlerError(Exception error) => Emit(ServerSocketEvents.Error, new ErrorEvent(error));
}
