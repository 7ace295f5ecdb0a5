using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Conformance.Engine.Support;

public enum WireDirection { Out, In, Note }

/// <summary>One line of the transcript: a frame sent or received, a close, an upgrade, or a note (client events).</summary>
public sealed record TranscriptEntry(TimeSpan At, string Actor, WireDirection Direction, string Text);

/// <summary>
/// Every frame both ways of every connection and client of one scenario, in order, timestamped relative to the
/// scenario start, with closes (code and reason). It is printed when a scenario fails.
/// </summary>
public sealed class WireTranscript(Stopwatch clock)
{
    private const int MaxFrameChars = 4000;
    private const int MaxEntries = 20000;
    private readonly List<TranscriptEntry> _entries = [];
    private int _dropped;

    public TimeSpan Now => clock.Elapsed;

    public void Sent(string actor, string text, bool binary = false) => Add(actor, WireDirection.Out, Frame(text, binary));

    public void Received(string actor, string text, bool binary = false) => Add(actor, WireDirection.In, Frame(text, binary));

    public void ClosedBy(string actor, WireDirection direction, int code, string? reason) =>
        Add(actor, direction, $"[close {code} reason {Quote(reason ?? "")}]");

    public void Note(string actor, string text) => Add(actor, WireDirection.Note, text);

    public IReadOnlyList<TranscriptEntry> Entries
    {
        get { lock (_entries) return _entries.ToList(); }
    }

    public string Render()
    {
        var entries = Entries;
        if (entries.Count == 0) return "";
        var width = Math.Max(5, entries.Max(e => e.Actor.Length));
        var text = new StringBuilder();
        foreach (var e in entries)
        {
            var arrow = e.Direction switch { WireDirection.Out => ">>", WireDirection.In => "<<", _ => "--" };
            text.Append('+').Append(e.At.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)).Append("s ")
                .Append(e.Actor.PadRight(width)).Append(' ').Append(arrow).Append(' ').AppendLine(e.Text);
        }
        if (_dropped > 0) text.AppendLine($"({_dropped} later entries dropped)");
        return text.ToString();
    }

    private void Add(string actor, WireDirection direction, string text)
    {
        lock (_entries)
        {
            if (_entries.Count >= MaxEntries) { _dropped++; return; }
            _entries.Add(new TranscriptEntry(clock.Elapsed, actor, direction, text));
        }
    }

    private static string Frame(string text, bool binary)
    {
        var shown = text.Length > MaxFrameChars ? text[..MaxFrameChars] + $"… ({text.Length} chars)" : text;
        // An empty text frame is the v2 ping/pong: show it visibly.
        if (shown.Length == 0) shown = "''";
        return binary ? $"[binary] {shown}" : shown;
    }

    private static string Quote(string s) => "'" + s.Replace("'", "\\'") + "'";
}
