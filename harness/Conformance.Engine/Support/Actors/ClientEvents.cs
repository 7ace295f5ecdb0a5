using System.Text.Json;
using Conformance.Engine.Drivers;

namespace Conformance.Engine.Support;

/// <summary>
/// A client actor's event log as seen by the steps: fetched incrementally from the driver, noted in the transcript,
/// and searched forward from the actor's event cursor (STEPS.md §0.5, §7.1).
/// </summary>
public sealed class ClientEventLog(ClientActor actor, WireTranscript transcript)
{
    /// <summary>Polling backs off from 10 ms to 100 ms: drivers in Chromium or Node answer each poll over IPC.</summary>
    public static TimeSpan PollDelay(int attempt) => TimeSpan.FromMilliseconds(Math.Min(100, 10 << Math.Min(attempt, 4)));
    private readonly List<ClientEvent> _events = [];
    private long _lastSeq;

    public IReadOnlyList<ClientEvent> Events
    {
        get { lock (_events) return _events.ToList(); }
    }

    /// <summary>Fetches new events from the driver (and remembers the socket id / pingTimeout of connect events).</summary>
    public async Task<IReadOnlyList<ClientEvent>> RefreshAsync(CancellationToken cancellation)
    {
        long since;
        lock (_events) since = _lastSeq;
        var fresh = await actor.Handle.EventsAsync(since, cancellation).ConfigureAwait(false);
        lock (_events)
        {
            foreach (var e in fresh.Where(e => e.Seq > _lastSeq).OrderBy(e => e.Seq))
            {
                _events.Add(e);
                _lastSeq = e.Seq;
                transcript.Note(actor.Name, $"event {e.Name} {Compact(e.Data)}");
                if (e.Name == "connect" && e.Data.ValueKind == JsonValueKind.Object)
                {
                    if (e.Data.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String) actor.SocketId = id.GetString();
                    if (e.Data.TryGetProperty("pingTimeout", out var pt) && pt.TryGetInt32(out var p)) actor.PingTimeout = p;
                }
            }
            return _events.ToList();
        }
    }

    /// <summary>The first event after <paramref name="sinceSeq"/> satisfying the predicate, waiting up to the timeout.</summary>
    public async Task<ClientEvent?> WaitForAsync(Func<ClientEvent, bool> predicate, long sinceSeq, TimeSpan timeout, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + timeout;
        for (var attempt = 0; ; attempt++)
        {
            var events = await RefreshAsync(cancellation).ConfigureAwait(false);
            var hit = events.FirstOrDefault(e => e.Seq > sinceSeq && predicate(e));
            if (hit is not null) return hit;
            if (DateTime.UtcNow >= deadline) return null;
            await Task.Delay(PollDelay(attempt), cancellation).ConfigureAwait(false);
        }
    }

    public static string Compact(JsonElement e)
    {
        var text = e.ValueKind == JsonValueKind.Undefined ? "" : e.GetRawText();
        return text.Length > 400 ? text[..400] + "…" : text;
    }
}
