namespace Conformance.JsHosts;

/// <summary>The last lines a host wrote to its diagnostics (stderr, console), kept for error messages.</summary>
internal sealed class StderrTail(int capacity = 40)
{
    readonly Queue<string> _lines = new();

    public void Add(string line)
    {
        lock (_lines)
        {
            _lines.Enqueue(line);
            while (_lines.Count > capacity) _lines.Dequeue();
        }
    }

    public string Text
    {
        get
        {
            lock (_lines) return _lines.Count == 0 ? "(empty)" : string.Join('\n', _lines);
        }
    }
}
