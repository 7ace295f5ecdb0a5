using System.Text.Json;
using System.Text.Json.Nodes;

namespace SocketCluster.Sample.Fixture;

/// <summary>Every event a socket transmits, in arrival order, at most 1000 entries (spec/fixture-app.md §5.3).</summary>
public sealed class TransmitRecorder
{
    public const int MaxEntries = 1000;

    private readonly object _gate = new();
    private readonly Queue<(string Event, JsonElement? Data)> _entries = new();

    /// <summary>Records one transmit; null data means the frame had no data key.</summary>
    public void Record(string eventName, JsonElement? data)
    {
        lock (_gate)
        {
            _entries.Enqueue((eventName, data?.Clone()));
            if (_entries.Count > MaxEntries) _entries.Dequeue();
        }
    }

    /// <summary>Default: the data values (absent → null); withPresence: {"data": v} or {} per transmit.</summary>
    public JsonArray List(string eventName, bool withPresence)
    {
        var result = new JsonArray();
        lock (_gate)
        {
            foreach (var (name, data) in _entries)
            {
                if (name != eventName) continue;
                var value = data is { } d ? JsonNode.Parse(d.GetRawText()) : null;
                if (withPresence) result.Add(data is null ? new JsonObject() : new JsonObject { ["data"] = value });
                else result.Add(value);
            }
        }
        return result;
    }
}
