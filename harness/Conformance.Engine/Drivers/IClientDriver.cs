using System.Text.Json;
using System.Text.Json.Nodes;

namespace Conformance.Engine.Drivers;

/// <summary>
/// A SocketCluster client implementation under test, driven through one API whatever it is written in. It mirrors the
/// JS driver (js-client-fixtures/driver/driver-core.mjs): connect(options) gives a handle; every other call acts on it.
/// </summary>
public interface IClientDriver : IAsyncDisposable
{
    /// <summary>"csharp", "node", "chromium" or "jint".</summary>
    string Name { get; }

    /// <summary>Creates a client socket with these options (JS client option names); it connects unless autoConnect is false.</summary>
    Task<IClientHandle> ConnectAsync(JsonObject options, CancellationToken cancellation);
}

/// <summary>A client event as recorded by a driver (STEPS.md §7.1): name, JSON payload, sequence and wall-clock time.</summary>
public sealed record ClientEvent(long Seq, string Name, JsonElement Data, DateTimeOffset At);

/// <summary>The state snapshot of a client socket.</summary>
public sealed record ClientState(string State, string AuthState, string? Id, string? SignedAuthToken, JsonElement? AuthToken);

/// <summary>
/// The settled outcome of a client call: success (with data, or without when the result was undefined/absent) or a
/// failure carrying the error as JSON ({name, message, ...own properties}, or a plain JSON value).
/// </summary>
public sealed record CallOutcome(bool Ok, bool HasData, JsonElement? Data, JsonElement? Error)
{
    public static CallOutcome Success() => new(true, false, null, null);
    public static CallOutcome Success(JsonElement data) => new(true, true, data, null);
    public static CallOutcome Failure(JsonElement error) => new(false, false, null, error);

    public override string ToString() => Ok
        ? HasData ? $"resolved with {Data!.Value.GetRawText()}" : "resolved without data"
        : $"failed with {Error?.GetRawText()}";
}

/// <summary>What a registered procedure answers: echo, a fixed result, an error, or nothing.</summary>
public sealed record ProcedureBehaviour(string Mode, JsonElement? Data = null, string? ErrorName = null, string? ErrorMessage = null)
{
    public static ProcedureBehaviour Echo { get; } = new("echo");
    public static ProcedureBehaviour EndWith(JsonElement data) => new("end", data);
    public static ProcedureBehaviour ErrorWith(string name, string message) => new("error", null, name, message);
}

/// <summary>One item a receiver or procedure got, or one publication: HasData false when the JS value was undefined.</summary>
public sealed record ReceivedItem(bool HasData, JsonElement? Data);

/// <summary>One client socket created by a driver.</summary>
public interface IClientHandle : IAsyncDisposable
{
    string DriverName { get; }

    Task<ClientState> StateAsync(CancellationToken cancellation);

    /// <summary>Recorded events with a sequence number above <paramref name="sinceSeq"/>.</summary>
    Task<IReadOnlyList<ClientEvent>> EventsAsync(long sinceSeq, CancellationToken cancellation);

    Task TransmitAsync(string eventName, JsonElement? data, CancellationToken cancellation);

    /// <summary>Invokes and waits for the outcome (callers that must not wait run it as a task).</summary>
    Task<CallOutcome> InvokeAsync(string procedure, JsonElement? data, int? ackTimeout, CancellationToken cancellation);

    /// <summary>Starts consuming receiver(name); items are read with <see cref="ReceivedAsync"/>.</summary>
    Task ReceiverAsync(string name, CancellationToken cancellation);

    Task<IReadOnlyList<ReceivedItem>> ReceivedAsync(string name, CancellationToken cancellation);

    Task ProcedureAsync(string name, ProcedureBehaviour behaviour, CancellationToken cancellation);

    /// <summary>subscribe(channel, options) and start consuming the channel; returns the channel state right after.</summary>
    Task<string> SubscribeAsync(string channel, JsonObject? options, CancellationToken cancellation);

    Task<IReadOnlyList<ReceivedItem>> PublicationsAsync(string channel, CancellationToken cancellation);

    Task<string> ChannelStateAsync(string channel, CancellationToken cancellation);

    Task UnsubscribeAsync(string channel, CancellationToken cancellation);

    Task<IReadOnlyList<string>> SubscriptionsAsync(bool includePending, CancellationToken cancellation);

    /// <summary>method: transmitPublish, invokePublish, channel.transmitPublish or channel.invokePublish.</summary>
    Task<CallOutcome> PublishAsync(string method, string channel, JsonElement? data, CancellationToken cancellation);

    Task<CallOutcome> AuthenticateAsync(string signedToken, CancellationToken cancellation);

    Task<CallOutcome> DeauthenticateAsync(CancellationToken cancellation);

    Task DisconnectAsync(int? code, string? reason, CancellationToken cancellation);

    /// <summary>connect() again, optionally with options merged into the current ones.</summary>
    Task ConnectAgainAsync(JsonObject? options, CancellationToken cancellation);

    Task ReconnectAsync(int? code, string? reason, CancellationToken cancellation);

    /// <summary>connect() and, in the same turn (before any inbound frame is processed), disconnect(code, reason).</summary>
    Task ConnectAndDisconnectAsync(int code, string reason, CancellationToken cancellation);
}
