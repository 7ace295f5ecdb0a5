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

    /// <summary>
    /// Phrase 70: open for the whole stated window after the previous step (one sample right after an action could
    /// not see a close that the action causes a moment later).
    /// </summary>
    [StepDefinition("{word} stays open for {int} ms")]
    public async Task StaysOpen(string name, int ms)
    {
        if (ms <= 0) throw new ArgumentException($"The window of \"stays open for {ms} ms\" must be positive.");
        var window = TimeSpan.FromMilliseconds(ms);
        switch (world.Get(name))
        {
            case RawActor raw:
                // Returns early when the connection ends (the log completes), else after the window.
                await raw.Open.Inbound.WaitForAsync(int.MaxValue, _ => false, window, world.Cancellation);
                break;
            case ClientActor client:
                var before = (await client.Log.RefreshAsync(world.Cancellation)).LastOrDefault()?.Seq ?? 0;
                await Task.Delay(window, world.Cancellation);
                var events = await client.Log.RefreshAsync(world.Cancellation);
                if (events.FirstOrDefault(e => e.Seq > before && e.Name is "close" or "disconnect" or "connectAbort") is { } ended)
                    throw new ConformanceAssertionException(
                        $"{name} emitted {ended.Name} {ClientEventLog.Compact(ended.Data)} within {ms} ms; expected it to stay open.");
                break;
        }
        await CheckOpen(name, window);
    }

    [StepDefinition("{word} is still open after the {word} timeout")]
    public async Task StillOpenAfter(string name, string timeout)
    {
        var wait = world.After(await world.NamedTimeoutAsync(timeout, world.Get(name)));
        await StaysOpen(name, (int)wait.TotalMilliseconds);
    }

    /// <summary>
    /// PP-005, bounded from both sides: a raw connection that stopped answering pings is closed one advertised ping
    /// timeout after the last frame it sent (its last pong; a server resets its pong watchdog on pongs, PP-003).
    /// Lower margin max(250 ms, 10 %): timers do not fire early and the close frame only adds latency, so this allows
    /// for clock reads alone; a server enforcing half the advertised value fails. Upper margin max(1000 ms, 25 %):
    /// timer lateness and close-frame latency on a loaded 2-core machine; a server enforcing twice the advertised value
    /// (or a watchdog that ignores pongs for a while) fails.
    /// </summary>
    [StepDefinition("{word} is closed with code {int} one ping timeout after its last pong")]
    public async Task ClosedOnePingTimeoutAfterLastPong(string name, int code)
    {
        var raw = world.Raw(name, "is closed ... one ping timeout after its last pong");
        var connection = raw.Open;
        var advertised = connection.PingTimeout
            ?? throw new InvalidOperationException($"{name} has no advertised pingTimeout: complete the handshake first.");
        await Closed(name, code, null, world.Within(advertised));
        var close = connection.Close!;
        var lastSent = world.Transcript.Entries
            .LastOrDefault(e => e.Actor == name && e.Direction == WireDirection.Out && e.At <= close.At)
            ?? throw new ConformanceAssertionException($"{name} sent nothing before its close; no pong to measure from.");
        var measured = close.At - lastSent.At;
        var low = TimeSpan.FromMilliseconds(advertised - Math.Max(250, advertised * 0.10));
        var high = TimeSpan.FromMilliseconds(advertised + Math.Max(1000, advertised * 0.25));
        world.Transcript.Note(name, $"closed {measured.TotalMilliseconds:0} ms after its last frame (pingTimeout {advertised} ms, window {low.TotalMilliseconds:0}–{high.TotalMilliseconds:0} ms)");
        if (measured < low || measured > high)
            throw new ConformanceAssertionException(
                $"{name} was closed with {code} {measured.TotalMilliseconds:0} ms after the last frame it sent " +
                $"(at +{lastSent.At.TotalSeconds:0.000}s: {lastSent.Text}); the advertised pingTimeout is {advertised} ms, " +
                $"so the close must come between {low.TotalMilliseconds:0} and {high.TotalMilliseconds:0} ms after it.");
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
