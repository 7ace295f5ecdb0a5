using System.Text.Json;
using Conformance.Engine.Drivers;
using Conformance.Engine.Running;

namespace Conformance.Engine.Support;

/// <summary>Waiting on client actors: call outcomes, channel and connection states (STEPS.md §4, §7).</summary>
public static class ClientExpectations
{

    /// <summary>The outcome of a subscribe: the channel's subscribe (success) or subscribeFail (its error) event.</summary>
    public static async Task<CallOutcome> SubscribeOutcomeAsync(ScenarioWorld world, ClientActor client, string channel, long sinceSeq)
    {
        var hit = await client.Log.WaitForAsync(
            e => e.Name is "subscribe" or "subscribeFail" && ChannelOf(e) == channel,
            sinceSeq, TimeSpan.FromMinutes(10), client.Lifetime).ConfigureAwait(false);
        if (hit is null) throw new TimeoutException($"{client.Name}'s subscribe to {channel} never settled");
        if (hit.Name == "subscribe") return CallOutcome.Success();
        return CallOutcome.Failure(hit.Data.TryGetProperty("error", out var error) ? error.Clone() : hit.Data.Clone());
    }

    public static string? ChannelOf(ClientEvent e) =>
        e.Data.ValueKind == JsonValueKind.Object && e.Data.TryGetProperty("channel", out var c) && c.ValueKind == JsonValueKind.String
            ? c.GetString() : null;

    public static async Task ChannelStateBecomesAsync(ScenarioWorld world, ClientActor client, string channel, string state)
    {
        var attempt = 0;
        var deadline = DateTime.UtcNow + world.DefaultWait;
        string current;
        while ((current = await client.Handle.ChannelStateAsync(channel, world.Cancellation).ConfigureAwait(false)) != state)
        {
            if (DateTime.UtcNow >= deadline)
                throw new ConformanceAssertionException(
                    $"Channel {channel} of {client.Name} is {current}, not {state}, after {world.DefaultWait.TotalSeconds:0.#} s.")
                { Expected = $"channel {channel} {state}", Actual = [$"channel {channel} {current}"] };
            await Task.Delay(ClientEventLog.PollDelay(attempt++), world.Cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>connection (connecting/open/closed) or auth (authenticated/unauthenticated) state.</summary>
    public static async Task<string> StateAsync(ScenarioWorld world, ClientActor client, string kind)
    {
        var state = await client.Handle.StateAsync(world.Cancellation).ConfigureAwait(false);
        return kind switch
        {
            "connection" => state.State,
            "auth" => state.AuthState,
            _ => throw new ArgumentException($"Unknown state '{kind}': use connection or auth."),
        };
    }

    public static async Task StateBecomesAsync(ScenarioWorld world, ClientActor client, string kind, string expected)
    {
        var attempt = 0;
        var deadline = DateTime.UtcNow + world.DefaultWait;
        string current;
        while ((current = await StateAsync(world, client, kind).ConfigureAwait(false)) != expected)
        {
            if (DateTime.UtcNow >= deadline)
                throw new ConformanceAssertionException(
                    $"The {kind} state of {client.Name} is {current}, not {expected}, after {world.DefaultWait.TotalSeconds:0.#} s.")
                { Expected = $"{kind} state {expected}", Actual = [$"{kind} state {current}"] };
            await Task.Delay(ClientEventLog.PollDelay(attempt++), world.Cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>The settled outcome of the actor's most recent call with this label.</summary>
    public static async Task<CallOutcome> OutcomeAsync(ScenarioWorld world, ClientActor client, string label)
    {
        var call = Call(client, label);
        try
        {
            return await call.WaitAsync(world.DefaultWait, world.Cancellation).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new ConformanceAssertionException(
                $"The {label} of {client.Name} did not settle within {world.DefaultWait.TotalSeconds:0.#} s.");
        }
    }

    public static Task<CallOutcome> Call(ClientActor client, string label) =>
        client.Calls.TryGetValue(label, out var call)
            ? call.Value
            : throw new InvalidOperationException($"{client.Name} has made no {label} call in this scenario.");
}
