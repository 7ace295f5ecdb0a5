namespace SocketCluster.Protocol;

/// <summary>
/// Bounds how often one kind of log line is written (dropped messages, unanswered requests): at most
/// <see cref="Burst"/> lines per <see cref="Window"/>; the lines over the limit are counted, and the first line
/// of a later window reports how many were suppressed. Thread-safe; used by the server and the client alike.
/// </summary>
public sealed class LogRateLimiter
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private long _windowStart;
    private int _inWindow;
    private long _suppressed;

    /// <param name="burst">Lines allowed per window (at least 1).</param>
    /// <param name="window">The window's length (positive).</param>
    /// <param name="timeProvider">The clock; null is <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="burst"/> is below 1 or <paramref name="window"/> is not positive.</exception>
    public LogRateLimiter(int burst = 10, TimeSpan? window = null, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        Window = window ?? TimeSpan.FromSeconds(10);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Window, TimeSpan.Zero, nameof(window));
        Burst = burst;
        _time = timeProvider ?? TimeProvider.System;
        _windowStart = _time.GetTimestamp();
    }

    /// <summary>Lines allowed per window.</summary>
    public int Burst { get; }

    /// <summary>The length of a window.</summary>
    public TimeSpan Window { get; }

    /// <summary>
    /// True when a line may be written now; <paramref name="suppressed"/> is then the number of lines left out since
    /// the last one written (0 in the usual case). False counts the line as suppressed.
    /// </summary>
    public bool TryAcquire(out long suppressed)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            if (_time.GetElapsedTime(_windowStart, now) >= Window)
            {
                _windowStart = now;
                _inWindow = 0;
            }
            if (_inWindow >= Burst)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }
            _inWindow++;
            suppressed = _suppressed;
            _suppressed = 0;
            return true;
        }
    }
}
