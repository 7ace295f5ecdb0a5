using System.Text.Json;

namespace Conformance.SamplePage.Tests.Matrix;

/// <summary>The outcome of an invoke: data on success, the error's name and message on failure.</summary>
public sealed record InvokeOutcome(bool Ok, JsonElement? Data, string? ErrorName, string? ErrorMessage)
{
    public override string ToString() => Ok ? $"ok {Data?.GetRawText() ?? "(no data)"}" : $"error {ErrorName}: {ErrorMessage}";
}

/// <summary>
/// One client implementation as the matrix drives it: the C# reference client through its API, or the official JS
/// client through a host's driver commands. Driver failures surface as exceptions with the driver's result text.
/// </summary>
public interface IMatrixClient : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Connects to 127.0.0.1:port in <paramref name="protocolVersion"/> (1 or 2) and waits for the connect event.</summary>
    Task ConnectAsync(int port, int protocolVersion);

    Task<InvokeOutcome> InvokeAsync(string procedure, object? data);

    Task TransmitAsync(string eventName, object? data);

    /// <summary>Subscribes, records publications, and waits until the channel is subscribed.</summary>
    Task SubscribeAsync(string channel);

    /// <summary>The channel's recorded publications once there are at least <paramref name="count"/> (or at the deadline).</summary>
    Task<IReadOnlyList<JsonElement?>> WaitForPublicationsAsync(string channel, int count);

    Task TransmitPublishAsync(string channel, object? data);

    Task InvokePublishAsync(string channel, object? data);

    /// <summary>Starts recording what the server transmits under <paramref name="eventName"/>.</summary>
    Task ReceiverAsync(string eventName);

    Task<IReadOnlyList<JsonElement?>> WaitForReceivedAsync(string eventName, int count);

    /// <summary>Answers the server's invokes of <paramref name="procedure"/> with their own data.</summary>
    Task EchoProcedureAsync(string procedure);

    /// <summary>Waits for the next socket event <paramref name="name"/> (kickOut, authenticate) after the arming call; returns its data as JSON.</summary>
    Task<Func<Task<string>>> ArmEventAsync(string name);

    /// <summary>The connection state ("connecting", "open", "closed") and the socket id (a new id means it reconnected).</summary>
    Task<(string State, string? Id)> ConnectionAsync();

    /// <summary>"authenticated" or "unauthenticated".</summary>
    Task<string> AuthStateAsync();
}
