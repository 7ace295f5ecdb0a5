using System.Collections.Concurrent;
using System.Diagnostics;

namespace Conformance.JsHosts.Jint;

/// <summary>
/// The single thread that owns a Jint engine, like a browser's event loop: it runs one task at a time (host events
/// posted from any thread, and due timers), and after each task <see cref="AfterTask"/> drains the microtasks
/// (promise jobs). Nothing else may touch the engine.
/// </summary>
internal sealed class EventLoop : IDisposable
{
    readonly BlockingCollection<Action> _tasks = new();
    readonly PriorityQueue<Timer, (long Due, long Seq)> _timerQueue = new();
    readonly Dictionary<int, Timer> _timers = new();
    readonly Thread _thread;
    readonly Stopwatch _clock = Stopwatch.StartNew();
    long _timerSeq;
    int _nextTimerId;
    volatile bool _stopped;

    sealed class Timer(int id, long intervalMs, bool repeat, Action callback)
    {
        public int Id { get; } = id;
        public long IntervalMs { get; } = intervalMs;
        public bool Repeat { get; } = repeat;
        public Action Callback { get; } = callback;
    }

    public EventLoop(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Runs after every task on the loop thread (the engine's microtask checkpoint).</summary>
    public Action? AfterTask { get; set; }

    /// <summary>Receives exceptions that escaped a task (an uncaught JavaScript error, a host bug).</summary>
    public Action<Exception>? OnUncaught { get; set; }

    public bool IsLoopThread => Thread.CurrentThread == _thread;

    public int ActiveTimerCount
    {
        get
        {
            AssertLoopThread();
            return _timers.Count;
        }
    }

    /// <summary>Queues a task from any thread. Returns false once the loop has stopped.</summary>
    public bool Post(Action task)
    {
        if (_stopped) return false;
        try
        {
            _tasks.Add(task);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false; // completed for adding: the loop is stopping
        }
    }

    /// <summary>Runs <paramref name="work"/> as a task on the loop thread and returns its result.</summary>
    public Task<T> InvokeAsync<T>(Func<T> work)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool posted = Post(() =>
        {
            try
            {
                tcs.TrySetResult(work());
            }
            catch (Exception e)
            {
                tcs.TrySetException(e);
            }
        });
        if (!posted) tcs.TrySetException(new ObjectDisposedException(nameof(EventLoop), "The Jint event loop has stopped."));
        return tcs.Task;
    }

    public Task InvokeAsync(Action work) => InvokeAsync<bool>(() =>
    {
        work();
        return true;
    });

    /// <summary>setTimeout/setInterval: loop thread only. Returns the timer id (never 0).</summary>
    public int AddTimer(double delayMs, bool repeat, Action callback)
    {
        AssertLoopThread();
        // Browsers clamp negative, NaN and oversized delays to 0; intervals below 1 ms would spin.
        long delay = double.IsNaN(delayMs) || delayMs < 0 || delayMs > int.MaxValue ? 0 : (long)delayMs;
        if (repeat && delay < 1) delay = 1;
        int id = _nextTimerId = _nextTimerId == int.MaxValue ? 1 : _nextTimerId + 1;
        var timer = new Timer(id, delay, repeat, callback);
        _timers[id] = timer;
        _timerQueue.Enqueue(timer, (Now + delay, ++_timerSeq));
        return id;
    }

    public void ClearTimer(int id)
    {
        AssertLoopThread();
        _timers.Remove(id); // the queue entry is skipped when it comes due
    }

    public void ClearAllTimers()
    {
        AssertLoopThread();
        _timers.Clear();
        _timerQueue.Clear();
    }

    long Now => _clock.ElapsedMilliseconds;

    void Run()
    {
        while (!_stopped)
        {
            RunDueTimers();
            if (_stopped) break;
            int wait = MillisecondsToNextTimer();
            Action? task;
            try
            {
                if (!_tasks.TryTake(out task, wait)) continue;
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
            {
                break; // completed
            }
            RunTask(task);
        }
    }

    void RunDueTimers()
    {
        while (!_stopped && _timerQueue.TryPeek(out var timer, out var key) && key.Due <= Now)
        {
            _timerQueue.Dequeue();
            if (!_timers.TryGetValue(timer.Id, out var live) || !ReferenceEquals(live, timer)) continue;
            if (timer.Repeat) _timerQueue.Enqueue(timer, (Now + timer.IntervalMs, ++_timerSeq));
            else _timers.Remove(timer.Id);
            RunTask(timer.Callback);
        }
    }

    int MillisecondsToNextTimer()
    {
        while (_timerQueue.TryPeek(out var timer, out var key))
        {
            if (!_timers.ContainsKey(timer.Id))
            {
                _timerQueue.Dequeue(); // cleared
                continue;
            }
            return (int)Math.Clamp(key.Due - Now, 0, int.MaxValue);
        }
        return Timeout.Infinite;
    }

    void RunTask(Action task)
    {
        try
        {
            task();
        }
        catch (Exception e)
        {
            Report(e);
        }
        try
        {
            AfterTask?.Invoke();
        }
        catch (Exception e)
        {
            Report(e);
        }
    }

    void Report(Exception e)
    {
        try
        {
            OnUncaught?.Invoke(e);
        }
        catch
        {
            // A failing reporter must not take the loop down.
        }
    }

    void AssertLoopThread()
    {
        if (!IsLoopThread) throw new InvalidOperationException("Jint engine state touched outside its event loop thread.");
    }

    /// <summary>Stops the loop; a task that is running finishes first (it is never interrupted here).</summary>
    public void Dispose()
    {
        _stopped = true;
        _tasks.CompleteAdding();
        // A task stuck in JavaScript keeps the (background) thread; the collection is then left to the GC.
        if (IsLoopThread || _thread.Join(TimeSpan.FromSeconds(5))) _tasks.Dispose();
    }
}
