using System.Text.Json;
using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Reqnroll;

namespace Conformance.Engine.StepDefinitions;

/// <summary>STEPS.md §7.2: closes, for raw connections (the close frame on the wire) and clients (their close event).</summary>
[Binding]
public sealed class CloseSteps(ScenarioWorld world)
{
    [StepDefinition("{word} is closed with code {int}")]
    public Task ClosedWith(string name, int code) => Closed(name, code, null, world.DefaultWait);

    [StepDefinition("{word} is closed with code {int} and reason {string}")]
    public Task ClosedWithReason(string name, int code, string reason) => Closed(name, code, reason, world.DefaultWait);

    [StepDefinition("{word} is closed within the {word} timeout with one of the codes {string}")]
    public async Task ClosedWithin(string name, string timeout, string codes)
    {
        var allowed = codes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(c => int.TryParse(c, out var n) ? n : throw new ArgumentException($"Not a close code: '{c}' in \"{codes}\""))
            .ToArray();
        if (allowed.Length == 0) throw new ArgumentException("At least one close code is needed.");
        await Closed(name, allowed, null, world.Within(await world.NamedTimeoutAsync(timeout, world.Get(name))));
    }

    private Task Closed(string name, int code, string? reason, TimeSpan wait) => Closed(name, [code], reason, wait);

    private async Task Closed(string name, int[] codes, string? reason, TimeSpan wait)
    {
        var code = codes.Length == 1 ? codes[0].ToString() : $"one of {string.Join(", ", codes)}";
        switch (world.Get(name))
        {
            case RawActor raw:
                var connection = raw.Open;
                await connection.Inbound.WaitForAsync(int.MaxValue, _ => false, wait, world.Cancellation);
                var close = connection.Close
                    ?? throw new ConformanceAssertionException($"{name} is still open after {wait.TotalSeconds:0.#} s; expected a close with code {code}.")
                    { Expected = $"close with code {code}", Actual = RawExpectations.Received(connection) };
                if (!codes.Contains(close.Code) || (reason is not null && close.Reason != reason))
                    throw new ConformanceAssertionException(
                        $"{name} was closed with code {close.Code} and reason '{close.Reason}'; expected code {code}" +
                        (reason is null ? "." : $" and reason '{reason}'."))
                    { Expected = $"close with code {code}" + (reason is null ? "" : $" and reason '{reason}'"), Actual = [$"close {close.Code} '{close.Reason}'"] };
                break;
            case ClientActor client:
                var closeEvent = await client.Log.WaitForAsync(e => e.Name == "close", client.EventCursor, wait, world.Cancellation)
                    ?? throw new ConformanceAssertionException($"{name} emitted no close event within {wait.TotalSeconds:0.#} s; expected code {code}.");
                // The most recent close (events after it may already be recorded); the event cursor does not move.
                closeEvent = client.Log.Events.Last(e => e.Name == "close");
                var actualCode = closeEvent.Data.TryGetProperty("code", out var c) && c.TryGetInt32(out var ci) ? ci : (int?)null;
                var actualReason = closeEvent.Data.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
                if (actualCode is null || !codes.Contains(actualCode.Value) || (reason is not null && actualReason != reason))
                    throw new ConformanceAssertionException(
                        $"{name} emitted close {ClientEventLog.Compact(closeEvent.Data)}; expected code {code}" +
                        (reason is null ? "." : $" and reason '{reason}'."));
                break;
        }
    }

    [StepDefinition("{word} is still open")]
    public Task StillOpen(string name) => CheckOpen(name, null);

    [StepDefinition("{word} is still open after the {word} timeout")]
    public async Task StillOpenAfter(string name, string timeout)
    {
        var wait = world.After(await world.NamedTimeoutAsync(timeout, world.Get(name)));
        await Task.Delay(wait, world.Cancellation);
        await CheckOpen(name, wait);
    }

    private async Task CheckOpen(string name, TimeSpan? waited)
    {
        var after = waited is { } w ? $" after {w.TotalSeconds:0.#} s" : "";
        switch (world.Get(name))
        {
            case RawActor raw:
                if (raw.Open.Close is { } close)
                    throw new ConformanceAssertionException($"{name} is closed{after}: code {close.Code}, reason '{close.Reason}'.");
                break;
            case ClientActor client:
                var state = await ClientExpectations.StateAsync(world, client, "connection");
                if (state != "open") throw new ConformanceAssertionException($"{name} is {state}{after}, not open.");
                break;
        }
    }
}
