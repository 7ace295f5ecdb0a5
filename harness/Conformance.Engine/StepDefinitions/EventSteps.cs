using System.Text.Json;
using Conformance.Engine.Drivers;
using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Reqnroll;

namespace Conformance.Engine.StepDefinitions;

/// <summary>STEPS.md §6: events and publications, for raw connections and clients.</summary>
[Binding]
public sealed class EventSteps(ScenarioWorld world)
{
    private static readonly TimeSpan ExtraObservation = TimeSpan.FromMilliseconds(500);

    [StepDefinition("{word} receives the event {string} with {string}")]
    public Task ReceivesEventWith(string name, string eventName, string data) => ReceivesEvent(name, eventName, data);

    [StepDefinition("{word} receives the event {string} without data")]
    public Task ReceivesEventWithout(string name, string eventName) => ReceivesEvent(name, eventName, null);

    private async Task ReceivesEvent(string name, string eventName, string? data)
    {
        switch (world.Get(name))
        {
            case RawActor raw:
                var dataPattern = data is null ? "\"<absent>\"" : OutboundFrames.Json(world, data, "data pattern");
                var pattern = FramePattern.Create(world, $"{{\"event\":{OutboundFrames.Quote(eventName)},\"data\":{dataPattern},\"cid\":\"<absent>\"}}");
                await RawExpectations.ReceivesAsync(raw.Open, pattern, world);
                break;
            case ClientActor client:
                var itemPattern = data is null ? null : FramePattern.Create(world, data);
                await ForwardSearchAsync(client, client.ReceivedCursor, eventName,
                    () => client.Handle.ReceivedAsync(eventName, world.Cancellation),
                    item => itemPattern is null ? !item.HasData : item.HasData && itemPattern.Matches(item.Data!.Value),
                    data is null ? $"the event {eventName} without data" : $"the event {eventName} with data matching {itemPattern}");
                break;
        }
    }

    [StepDefinition("{word} receives the publication {string} on {string}")]
    public async Task ReceivesPublication(string name, string data, string channel)
    {
        switch (world.Get(name))
        {
            case RawActor raw:
                // PS-011 fixes the envelope: no key besides event and data, none in data besides channel and data.
                var pattern = FramePattern.CreateExact(world,
                    $"{{\"event\":\"#publish\",\"data\":{{\"channel\":{OutboundFrames.Quote(channel)},\"data\":{OutboundFrames.Json(world, data, "publication pattern")}}},\"cid\":\"<absent>\"}}");
                await RawExpectations.ReceivesAsync(raw.Open, pattern, world);
                break;
            case ClientActor client:
                var itemPattern = FramePattern.Create(world, data);
                await ForwardSearchAsync(client, client.PublicationCursor, channel,
                    () => client.Handle.PublicationsAsync(channel, world.Cancellation),
                    item => item.HasData && itemPattern.Matches(item.Data!.Value),
                    $"a publication on {channel} matching {itemPattern}");
                break;
        }
    }

    [StepDefinition("{word} receives on {string} exactly the publications {string}")]
    public async Task ReceivesExactly(string name, string channel, string arrayText)
    {
        var expected = JsonPattern.Parse(world.Substitute(arrayText), "publication list");
        if (expected.ValueKind != JsonValueKind.Array) throw new ArgumentException($"Expected a JSON array of publications: {arrayText}");
        var count = expected.GetArrayLength();
        List<JsonElement?> items;
        switch (world.Get(name))
        {
            case RawActor raw:
                var connection = raw.Open;
                bool IsPublication(RawFrame f) => !f.IsPing && PublishChannel(f.Json) == channel;
                var found = await connection.Inbound.WaitForCountAsync(connection.Cursor, IsPublication, count, world.DefaultWait, world.Cancellation);
                await Task.Delay(ExtraObservation, world.Cancellation);
                var all = connection.Inbound.Snapshot(connection.Cursor).Where(IsPublication).ToList();
                items = all.Select(f => PublishData(f.Json)).ToList();
                if (found.Count > 0 && all.Count >= count) connection.Cursor = found[^1].Index + 1;
                // PS-011 fixes the envelope of each of them (exactly these keys; the inner data key absent for undefined).
                foreach (var frame in all)
                {
                    var envelope = FramePattern.CreateExact(world,
                        $"{{\"event\":\"#publish\",\"data\":{{\"channel\":{OutboundFrames.Quote(channel)},\"data\":{(PublishData(frame.Json) is null ? "\"<absent>\"" : "\"<any>\"")}}}}}");
                    if (envelope.Mismatch(frame, connection.LastRequestCid) is { } wrong)
                        throw new ConformanceAssertionException($"{name} received a #publish whose envelope is not exactly {{event, data: {{channel, data}}}}: {wrong}\n  frame: {frame.Text}");
                }
                break;
            case ClientActor client:
                var start = client.PublicationCursor.GetValueOrDefault(channel);
                var attempt = 0;
                var deadline = DateTime.UtcNow + world.DefaultWait;
                IReadOnlyList<ReceivedItem> publications;
                while ((publications = await client.Handle.PublicationsAsync(channel, world.Cancellation)).Count - start < count
                       && DateTime.UtcNow < deadline)
                    await Task.Delay(ClientEventLog.PollDelay(attempt++), world.Cancellation);
                await Task.Delay(ExtraObservation, world.Cancellation);
                publications = await client.Handle.PublicationsAsync(channel, world.Cancellation);
                items = publications.Skip(start).Select(p => p.HasData ? p.Data : null).ToList();
                client.PublicationCursor[channel] = publications.Count;
                break;
            default:
                throw new InvalidOperationException();
        }

        var actual = JsonSerializer.SerializeToElement(items.Select(i => i is null ? (JsonElement?)null : i.Value).ToList());
        if (JsonPattern.Mismatch(expected, actual) is { } why)
            throw new ConformanceAssertionException(
                $"{name} received on {channel} the publications {actual.GetRawText()}; expected exactly {expected.GetRawText()} ({why}).")
            { Expected = expected.GetRawText(), Actual = [actual.GetRawText()] };
    }

    [StepDefinition("{word} receives on {string} exactly {int} numbered publications {string}")]
    public Task ReceivesNumbered(string name, string channel, int count, string text) =>
        ReceivesExactly(name, channel, JsonSerializer.Serialize(Enumerable.Range(0, count).Select(i => $"{text}{i}").ToList()));

    [StepDefinition("{word} receives no publication on {string} within {int} ms")]
    public async Task ReceivesNoPublication(string name, string channel, int ms)
    {
        switch (world.Get(name))
        {
            case RawActor raw:
                var connection = raw.Open;
                await Task.Delay(ms, world.Cancellation);
                var offending = connection.Inbound.Snapshot(connection.Cursor).FirstOrDefault(f => !f.IsPing && PublishChannel(f.Json) == channel);
                if (offending is not null)
                    throw new ConformanceAssertionException($"{name} received a publication on {channel} within {ms} ms: {offending.Text}");
                break;
            case ClientActor client:
                var start = client.PublicationCursor.GetValueOrDefault(channel);
                await Task.Delay(ms, world.Cancellation);
                var publications = await client.Handle.PublicationsAsync(channel, world.Cancellation);
                if (publications.Count > start)
                    throw new ConformanceAssertionException(
                        $"{name} received {publications.Count - start} publication(s) on {channel} within {ms} ms: {Show(publications[start])}");
                break;
        }
    }

    /// <summary>Forward search over a client's receiver or channel items from its cursor; moves the cursor past the match.</summary>
    private async Task ForwardSearchAsync(ClientActor client, Dictionary<string, int> cursors, string key,
        Func<Task<IReadOnlyList<ReceivedItem>>> fetch, Func<ReceivedItem, bool> predicate, string what)
    {
        var start = cursors.GetValueOrDefault(key);
        var deadline = DateTime.UtcNow + world.DefaultWait;
        IReadOnlyList<ReceivedItem> items;
        var attempt = 0;
        while (true)
        {
            items = await fetch();
            for (var i = start; i < items.Count; i++)
            {
                if (!predicate(items[i])) continue;
                cursors[key] = i + 1;
                return;
            }
            if (DateTime.UtcNow >= deadline) break;
            await Task.Delay(ClientEventLog.PollDelay(attempt++), world.Cancellation);
        }
        var seen = items.Skip(start).Select(Show).ToList();
        throw new ConformanceAssertionException(
            $"{client.Name} did not get {what} within {world.DefaultWait.TotalSeconds:0.#} s; it got {(seen.Count == 0 ? "nothing" : string.Join(", ", seen))}.")
        { Expected = what, Actual = seen };
    }

    private static string Show(ReceivedItem item) => item.HasData ? item.Data!.Value.GetRawText() : "(no data)";

    private static string? PublishChannel(JsonElement? json) =>
        json is { ValueKind: JsonValueKind.Object } j
        && j.TryGetProperty("event", out var ev) && ev.ValueKind == JsonValueKind.String && ev.GetString() == "#publish"
        && j.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
        && data.TryGetProperty("channel", out var channel) && channel.ValueKind == JsonValueKind.String
            ? channel.GetString() : null;

    private static JsonElement? PublishData(JsonElement? json) =>
        json!.Value.GetProperty("data").TryGetProperty("data", out var d) ? d.Clone() : null;
}
