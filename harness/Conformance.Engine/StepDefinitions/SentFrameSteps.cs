using System.Text.Json;
using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Reqnroll;

namespace Conformance.Engine.StepDefinitions;

/// <summary>STEPS.md §8: what the known-good server received from a client (recorded by the client's relay).</summary>
[Binding]
public sealed class SentFrameSteps(ScenarioWorld world)
{
    [StepDefinition("the known-good server receives from {word} a frame matching {string}")]
    public async Task ReceivesFrom(string name, string patternText)
    {
        var client = world.Client(name, "the known-good server receives from");
        var pattern = FramePattern.Create(world, patternText);
        await Find(client, m => !m.IsClose && !m.Binary && pattern.Mismatch(m.Text, m.Json, null) is null, $"a frame matching {pattern}", pattern);
    }

    [StepDefinition("the known-good server receives from {word} no frame matching {string} within {int} ms")]
    public async Task ReceivesNoneFrom(string name, string patternText, int ms)
    {
        var client = world.Client(name, "the known-good server receives from ... no frame");
        var pattern = FramePattern.Create(world, patternText);
        await Task.Delay(ms, world.Cancellation);
        var offending = client.Relay.FromClient.Snapshot(client.SentCursor).FirstOrDefault(m => !m.IsClose && !m.Binary && pattern.Mismatch(m.Text, m.Json, null) is null);
        if (offending is not null)
            throw new ConformanceAssertionException($"The known-good server received from {name} a frame matching {pattern} within {ms} ms: {offending.Text}")
            { Expected = $"no frame matching {pattern} within {ms} ms", Actual = [offending.Text] };
    }

    [StepDefinition("the known-good server receives from {word} one array frame holding {int} packets")]
    public Task ReceivesArray(string name, int count) =>
        Find(world.Client(name, "the known-good server receives from ... one array frame"),
            m => !m.IsClose && !m.Binary && m.Json is { ValueKind: JsonValueKind.Array } a && a.GetArrayLength() == count,
            $"one array frame holding {count} packets", null);

    [StepDefinition("the known-good server sees {word} close with code {int} and reason {string}")]
    public async Task SeesClose(string name, int code, string reason)
    {
        var client = world.Client(name, "the known-good server sees ... close");
        // The close of the client's most recent connection (waits for it).
        var hit = await client.Relay.FromClient.WaitForAsync(0, m => m.IsClose && m.Connection == client.Relay.ConnectionCount,
            world.DefaultWait, world.Cancellation);
        if (hit is null)
            throw new ConformanceAssertionException(
                $"The known-good server saw no close from {name} on its connection #{client.Relay.ConnectionCount} within {world.DefaultWait.TotalSeconds:0.#} s.");
        var close = hit.Value.Item;
        if (close.CloseCode != code || close.CloseReason != reason)
            throw new ConformanceAssertionException(
                $"The known-good server saw {name} close with code {close.CloseCode} and reason '{close.CloseReason}'; expected {code} and '{reason}'." +
                (close.CloseCode == 1006 ? " (1006: the client dropped the connection without a close frame)" : ""));
    }

    private async Task Find(ClientActor client, Func<RelayedMessage, bool> predicate, string what, FramePattern? pattern)
    {
        var hit = await client.Relay.FromClient.WaitForAsync(client.SentCursor, predicate, world.DefaultWait, world.Cancellation);
        if (hit is null)
        {
            var sent = client.Relay.FromClient.Snapshot(client.SentCursor);
            var list = sent.Count == 0 ? "nothing" : string.Join("\n  ", sent.Take(15).Select(m =>
                (m.IsClose ? $"[close {m.CloseCode} '{m.CloseReason}']" : m.Text) + (pattern?.Mismatch(m.Text, m.Json, null) is { } why ? $"   <- {why}" : "")));
            throw new ConformanceAssertionException(
                $"The known-good server received from {client.Name} no {what} within {world.DefaultWait.TotalSeconds:0.#} s. It received after the cursor:\n  {list}")
            { Expected = what, Actual = sent.Take(15).Select(m => m.IsClose ? $"close {m.CloseCode} '{m.CloseReason}'" : m.Text).ToList() };
        }
        client.SentCursor = hit.Value.Index + 1;
    }
}
