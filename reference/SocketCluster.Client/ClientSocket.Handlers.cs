using System.Text.Json;
using SocketCluster.Protocol;

namespace SocketCluster.Client;

/// <summary>
/// Handler-style consumers, as on the server: <c>socket.Procedure("proc", async request => ...)</c> runs the handler
/// for each request in order, like an <c>await foreach</c> loop, but a handler that throws never ends the loop
/// silently: the exception is logged (Error), reported on the 'error' listener, and a request the handler left
/// unanswered is answered with the error ({message, name}, no stack).
/// </summary>
public sealed partial class ClientSocket
{
    /// <summary>
    /// Runs <paramref name="handler"/> for each event the server transmits to <paramref name="receiverName"/> (null
    /// data = no "data" key), one at a time, until the receiver is closed, the socket is disposed or
    /// <paramref name="cancellationToken"/> is cancelled. The consumer is registered before this returns.
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
                ClientLog.ReceiverHandlerFailed(Logger, receiverName, e);
                lock (Gate) EmitError(e);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="handler"/> for each event transmitted to <paramref name="receiverName"/> with its data read
    /// as T (data that does not fit T is reported on the 'error' listener and skipped).
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
                item = ScCodec.FromData<T>(data, Options.SerializerOptions);
            }
            catch (JsonException e)
            {
                lock (Gate) EmitError(ScErrors.InvalidArguments($"Receiver {receiverName} got data that is not a {typeof(T).Name}: {e.Message}"));
                return;
            }
            await handler(item).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="handler"/> for each request the server invokes on <paramref name="procedureName"/>, one
    /// at a time, until the procedure is closed, the socket is disposed or <paramref name="cancellationToken"/> is
    /// cancelled. A handler that throws is logged and reported, and its request, if unanswered, is answered with
    /// the exception.
    /// </summary>
    /// <inheritdoc cref="Receiver(string, Func{JsonElement?, Task}, CancellationToken)" path="/returns"/>
    /// <inheritdoc cref="Receiver(string, Func{JsonElement?, Task}, CancellationToken)" path="/exception"/>
    public Task Procedure(string procedureName, Func<ProcedureRequest, Task> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(procedureName);
        ArgumentNullException.ThrowIfNull(handler);
        return HandlerLoop.RunAsync(Procedure(procedureName), async request =>
        {
            try
            {
                await handler(request).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                ClientLog.ProcedureHandlerFailed(Logger, procedureName, e);
                lock (Gate) EmitError(e);
                if (!request.Sent)
                {
                    try
                    {
                        request.Error(e);
                    }
                    catch (ScError)
                    {
                        // Answered by the handler in the meantime: nothing left to answer.
                    }
                }
            }
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

    /// <summary>The synchronous form of <see cref="Procedure(string, Func{ProcedureRequest, Task}, CancellationToken)"/>.</summary>
    /// <inheritdoc cref="Receiver(string, Func{JsonElement?, Task}, CancellationToken)" path="/returns"/>
    /// <inheritdoc cref="Receiver(string, Func{JsonElement?, Task}, CancellationToken)" path="/exception"/>
    public Task Procedure(string procedureName, Action<ProcedureRequest> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Procedure(procedureName, HandlerLoop.Synchronous(handler), cancellationToken);
    }
}
