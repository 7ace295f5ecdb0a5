using System.Text;
using System.Text.Json;
using Conformance.Engine.Drivers;
using Conformance.Engine.Running;

namespace Conformance.Engine.Support;

/// <summary>Waiting and matching on a raw connection's inbound log (STEPS.md §0.5, §4, §5).</summary>
public static class RawExpectations
{
    public static bool IsResponseTo(RawFrame frame, long cid) =>
        !frame.IsPing && !frame.Binary && frame.Json is { ValueKind: JsonValueKind.Object } json
        && json.TryGetProperty("rid", out var rid) && rid.ValueKind == JsonValueKind.Number && rid.TryGetInt64(out var r) && r == cid
        && !(json.TryGetProperty("event", out var ev) && ev.ValueKind == JsonValueKind.String);

    /// <summary>
    /// Waits for the response to <paramref name="cid"/>, searched in the whole log (STEPS.md §4: the cursor is neither
    /// used nor moved), and returns it. <paramref name="moveCursor"/> is for the handshake helper step only.
    /// </summary>
    public static async Task<JsonElement> ResponseAsync(RawConnection connection, long cid, ScenarioWorld world, bool requireSuccess = false,
        bool moveCursor = false)
    {
        var hit = await connection.Inbound.WaitForAsync(0, f => IsResponseTo(f, cid), world.DefaultWait, world.Cancellation);
        if (hit is null)
            throw new ConformanceAssertionException(
                $"{connection.Name} got no response with rid {cid} within {world.DefaultWait.TotalSeconds:0.#} s{Ending(connection)}.{Unmatched(connection)}")
            { Expected = $"a response with rid {cid}", Actual = Received(connection) };
        if (moveCursor) connection.Cursor = Math.Max(connection.Cursor, hit.Value.Index + 1);
        var json = hit.Value.Item.Json!.Value;
        if (requireSuccess && HasError(json))
            throw new ConformanceAssertionException($"{connection.Name}'s request {cid} failed: {json.GetRawText()}")
            { Expected = $"a successful response with rid {cid}", Actual = [json.GetRawText()] };
        return json;
    }

    /// <summary>An error response: an "error" key whose value is truthy (null or false count as success, like the JS peers).</summary>
    public static bool HasError(JsonElement response) =>
        response.TryGetProperty("error", out var error) && error.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.False => false,
            JsonValueKind.String => error.GetString()!.Length > 0,
            JsonValueKind.Number => error.GetDouble() != 0,
            _ => true,
        };

    /// <summary>
    /// Forward search from the cursor for a non-ping entry matching the pattern; moves the cursor past it. An exact
    /// pattern searches with extra keys allowed and then reports the found frame's unexpected keys (STEPS.md §5).
    /// </summary>
    public static async Task<RawFrame> ReceivesAsync(RawConnection connection, FramePattern pattern, ScenarioWorld world, TimeSpan? wait = null)
    {
        var timeout = wait ?? world.DefaultWait;
        var search = pattern.Loose;
        var hit = await connection.Inbound.WaitForAsync(connection.Cursor,
            f => !f.IsPing && search.Matches(f, connection.LastRequestCid), timeout, world.Cancellation);
        if (hit is null)
            throw new ConformanceAssertionException(
                $"{connection.Name} received no frame matching {pattern} within {timeout.TotalSeconds:0.#} s{Ending(connection)}.{Unmatched(connection, pattern)}")
            { Expected = pattern.ToString(), Actual = Received(connection) };
        if (pattern.Mismatch(hit.Value.Item, connection.LastRequestCid) is { } why)
            throw new ConformanceAssertionException(
                $"{connection.Name} received a frame that does not have exactly the expected keys: {why}\n  expected: {pattern.Text}\n  frame: {hit.Value.Item.Text}")
            { Expected = pattern.Text, Actual = [hit.Value.Item.Text] };
        Consume(connection, hit.Value.Index, hit.Value.Item);
        return hit.Value.Item;
    }

    /// <summary>Moves the cursor past an entry and remembers its cid for $receivedCid.</summary>
    public static void Consume(RawConnection connection, int index, RawFrame frame)
    {
        connection.Cursor = index + 1;
        if (frame.Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("cid", out var cid)
            && cid.ValueKind == JsonValueKind.Number && cid.TryGetInt64(out var c))
            connection.ReceivedCid = c;
    }

    public static string Ending(RawConnection connection) => connection.Close is { } close
        ? $" (the connection closed with code {close.Code} reason '{close.Reason}' at +{close.At.TotalSeconds:0.000}s)"
        : "";

    /// <summary>The entries after the cursor, for failure messages (with the first mismatch reason when a pattern is given).</summary>
    public static string Unmatched(RawConnection connection, FramePattern? pattern = null)
    {
        var entries = connection.Inbound.Snapshot(connection.Cursor).Where(f => !f.IsPing).ToList();
        if (entries.Count == 0) return " No frames arrived after the cursor.";
        var text = new StringBuilder($" Frames after the cursor ({entries.Count}):");
        foreach (var frame in entries.Take(MaxShown))
        {
            text.Append("\n  ").Append(Shown(frame));
            if (pattern?.Mismatch(frame, connection.LastRequestCid) is { } why) text.Append("   <- ").Append(why);
        }
        if (entries.Count > MaxShown) text.Append("\n  …");
        return text.ToString();
    }

    /// <summary>The frames after the cursor (pings left out) as an assertion's <see cref="ConformanceAssertionException.Actual"/>.</summary>
    public static IReadOnlyList<string> Received(RawConnection connection)
    {
        var entries = connection.Inbound.Snapshot(connection.Cursor).Where(f => !f.IsPing).ToList();
        var shown = entries.Take(MaxShown).Select(Shown).ToList();
        if (entries.Count > MaxShown) shown.Add($"… {entries.Count - MaxShown} more");
        if (connection.Close is { } close) shown.Add($"close {close.Code} '{close.Reason}'");
        return shown;
    }

    private const int MaxShown = 12;

    /// <summary>A frame as failure output shows it: binary marked, long text cut at 300 characters.</summary>
    public static string Shown(RawFrame frame) =>
        (frame.Binary ? "[binary] " : "") + (frame.Text.Length > 300 ? frame.Text[..300] + "…" : frame.Text);
}
