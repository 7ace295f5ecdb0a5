using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Conformance.Mutants.Mutations;

/// <summary>
/// Re-serialises every server JSON frame with other whitespace (leading blank, indentation, newlines) and the
/// keys of every object in reverse order. JSON semantics are unchanged, so no scenario may notice.
/// </summary>
internal sealed class ReserializeFrames : PacketSession
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        IndentCharacter = '\t',
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public override ValueTask OnServerFrameAsync(WireFrame frame, IRelay relay)
    {
        var decoded = PacketFrame.Decode(frame);
        if (!decoded.IsJson) return base.OnServerFrameAsync(frame, relay);
        var node = decoded.IsBatch
            ? new JsonArray(decoded.Packets.Select(p => Reversed(p.Node!)).ToArray())
            : Reversed(decoded.Packets[0].Node!)!;
        relay.ToClient(decoded.Like(" \r\n" + node.ToJsonString(Indented) + "\n "));
        return ValueTask.CompletedTask;
    }

    /// <summary>A deep copy with every object's keys in reverse order.</summary>
    internal static JsonNode? Reversed(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Reverse().Select(kv => KeyValuePair.Create(kv.Key, Reversed(kv.Value)))),
        JsonArray arr => new JsonArray(arr.Select(Reversed).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}

/// <summary>
/// Wraps server packets into JSON-array batches: packets arriving within a short window go out as one array
/// (a lone packet as an array of one). Pings are never batched and the handshake response is sent alone, as
/// the official server's batchOnHandshake does; order is preserved.
/// </summary>
internal sealed class BatchServerPackets : PacketSession
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(15);
    private readonly object _gate = new();
    private readonly List<JsonNode> _pending = [];

    protected override ValueTask SendToClientAsync(IReadOnlyList<WireFrame> frames, PacketFrame original, IRelay relay)
    {
        lock (_gate)
        {
            if (original.Packets.Any(p => p.IsHandshakeResponse))
            {
                Flush(relay);
                foreach (var f in frames) relay.ToClient(f);
                return ValueTask.CompletedTask;
            }
            var startTimer = _pending.Count == 0;
            _pending.AddRange(original.Packets.Select(p => p.Node!));
            if (startTimer) _ = FlushLaterAsync(relay);
        }
        return ValueTask.CompletedTask;
    }

    protected override ValueTask OnServerRawAsync(WireFrame frame, IRelay relay)
    {
        lock (_gate)
        {
            Flush(relay);
            relay.ToClient(frame);
        }
        return ValueTask.CompletedTask;
    }

    public override ValueTask OnServerCloseAsync(int code, string reason, IRelay relay)
    {
        lock (_gate) Flush(relay);
        return base.OnServerCloseAsync(code, reason, relay);
    }

    private async Task FlushLaterAsync(IRelay relay)
    {
        await Task.Delay(Window).ConfigureAwait(false);
        lock (_gate) Flush(relay);
    }

    private void Flush(IRelay relay)
    {
        if (_pending.Count == 0) return;
        relay.ToClient(Packets.EncodeBatch(_pending));
        _pending.Clear();
    }
}

/// <summary>
/// Splits every batch into single-packet frames, in both directions (a server may answer a batch with
/// separate frames, and processing a batch element by element is what the protocol requires anyway).
/// </summary>
internal sealed class SplitBatches : PacketSession
{
    public override ValueTask OnServerFrameAsync(WireFrame frame, IRelay relay)
    {
        var decoded = PacketFrame.Decode(frame);
        if (!decoded.IsBatch) return base.OnServerFrameAsync(frame, relay);
        foreach (var p in decoded.Packets) relay.ToClient(decoded.Like(p.Text));
        return ValueTask.CompletedTask;
    }

    public override ValueTask OnClientFrameAsync(WireFrame frame, IRelay relay)
    {
        var decoded = PacketFrame.Decode(frame);
        if (!decoded.IsBatch) return base.OnClientFrameAsync(frame, relay);
        foreach (var p in decoded.Packets) relay.ToServer(decoded.Like(p.Text));
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Slow, jittery server: every server frame reaches the client 0-40 ms after it left the server, order preserved
/// (each frame is due at the later of its own delay and the previous frame's). The delays are latency, not a
/// per-frame cost: a burst of 20 000 responses (RB-030) arrives about 40 ms late, not 20 000 x 20 ms late. Also sends
/// an extra ping right after the handshake response (the ping schedule is the server's choice).
/// </summary>
internal sealed class JitterAndExtraPings : PacketSession
{
    private readonly Random _random = new(4242);
    private int _extraPingSent;

    // Touched only by the server pump (one hook at a time, in arrival order).
    private Task _sent = Task.CompletedTask;
    private long _lastDue;

    protected override ValueTask SendToClientAsync(IReadOnlyList<WireFrame> frames, PacketFrame original, IRelay relay)
    {
        var extraPing = original.Packets.Any(p => p.IsHandshakeResponse) && Interlocked.Exchange(ref _extraPingSent, 1) == 0;
        Later(() =>
        {
            foreach (var f in frames) relay.ToClient(f);
            if (extraPing) relay.ToClient(SocketCluster.Protocol.PingPong.PingV2);
        });
        return ValueTask.CompletedTask;
    }

    protected override ValueTask OnServerRawAsync(WireFrame frame, IRelay relay)
    {
        Later(() => relay.ToClient(frame));
        return ValueTask.CompletedTask;
    }

    /// <summary>The server's close goes out after the frames it sent before it.</summary>
    public override async ValueTask OnServerCloseAsync(int code, string reason, IRelay relay)
    {
        await _sent.ConfigureAwait(false);
        await base.OnServerCloseAsync(code, reason, relay).ConfigureAwait(false);
    }

    private void Later(Action send)
    {
        var due = Math.Max(_lastDue, Environment.TickCount64 + _random.Next(0, 40));
        _lastDue = due;
        _sent = _sent.ContinueWith(async _ =>
        {
            var wait = due - Environment.TickCount64;
            if (wait > 0) await Task.Delay((int)wait).ConfigureAwait(false);
            send();
        }, TaskScheduler.Default).Unwrap();
    }
}
