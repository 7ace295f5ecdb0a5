using System.Collections.Concurrent;
using System.Reflection;
using Jint;
using Jint.Native;
using Jint.Runtime;
using Jint.Runtime.Interop;

namespace Conformance.JsHosts.Jint;

/// <summary>
/// One Jint engine with its event loop thread, the browser shims, the official client bundle and one driver-core
/// driver. All engine access happens on the loop thread.
/// </summary>
internal sealed class JintRuntime : IAsyncDisposable
{
    readonly EventLoop _loop;
    readonly CancellationTokenSource _engineCancel = new(); // breaks a runaway script on shutdown
    readonly ConcurrentDictionary<long, TaskCompletionSource<string>> _calls = new();
    readonly StderrTail _console = new(200);
    readonly Action<string>? _consoleSink;
    Engine _engine = null!;
    WebSocketShim _sockets = null!;
    JsValue _callDriver = JsValue.Undefined;
    JsValue _settleValue = JsValue.Undefined;
    JsValue _clearStorage = JsValue.Undefined;
    JsValue _driver = JsValue.Undefined;
    long _nextCall;
    int _disposed;

    JintRuntime(Action<string>? consoleSink)
    {
        _consoleSink = consoleSink;
        _loop = new EventLoop("jint-event-loop") { OnUncaught = e => Log("error", $"Uncaught {Describe(e)}") };
    }

    /// <summary>The client version the bundle reports.</summary>
    public string ClientVersion { get; private set; } = "";

    /// <summary>The last console lines and uncaught errors of this engine.</summary>
    public string ConsoleTail => _console.Text;

    public static async Task<JintRuntime> StartAsync(Action<string>? consoleSink = null)
    {
        var modules = JintModules.Instance; // parse (once per process) off the loop thread
        var runtime = new JintRuntime(consoleSink);
        try
        {
            await runtime._loop.InvokeAsync(() => runtime.Initialise(modules));
        }
        catch (Exception e)
        {
            await runtime.DisposeAsync();
            throw new JsDriverHostException($"The Jint host could not load the client bundle and driver: {Describe(e)}", e);
        }
        return runtime;
    }

    void Initialise(JintModules modules)
    {
        _engine = new Engine(options =>
        {
            options.EnableModules(new RegisteredModulesOnlyLoader());
            options.CancellationToken(_engineCancel.Token);
        });
        _loop.AfterTask = () => _engine.Advanced.ProcessTasks();

        var host = new JsObject(_engine);
        TimersShim.Install(host, _engine, _loop);
        CryptoShim.Install(host, _engine);
        _sockets = new WebSocketShim(_engine, _loop, message => Log("warn", message));
        _sockets.Install(host);
        host.Set("log", new ClrFunction(_engine, "log", (_, args) =>
        {
            Log(TypeConverter.ToString(HostArgs.At(args, 0)), TypeConverter.ToString(HostArgs.At(args, 1)));
            return JsValue.Undefined;
        }));
        host.Set("settle", new ClrFunction(_engine, "settle", (_, args) =>
        {
            Settle((long)TypeConverter.ToNumber(HostArgs.At(args, 0)), TypeConverter.ToBoolean(HostArgs.At(args, 1)),
                TypeConverter.ToString(HostArgs.At(args, 2)));
            return JsValue.Undefined;
        }));

        var prelude = _engine.Evaluate(ReadPrelude(), "prelude.js");
        var api = _engine.Invoke(prelude, host).AsObject();
        _sockets.SetDispatcher(api.Get("dispatchSocket"));
        _callDriver = api.Get("callDriver");
        _settleValue = api.Get("settleValue");
        _clearStorage = api.Get("clearStorage");

        modules.AddTo(_engine);
        var main = _engine.Modules.Import(JintModules.MainSpecifier);
        ClientVersion = TypeConverter.ToString(main.Get("clientVersion"));
        _driver = _engine.Invoke(main.Get("newDriver"));
    }

    static string ReadPrelude()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Conformance.JsHosts.Jint.prelude.js")
                           ?? throw new InvalidOperationException("prelude.js is not embedded in Conformance.JsHosts");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Runs driver[command](...args) on the loop and returns the JSON text of its result.</summary>
    public Task<string> CallAsync(string command, string argsJson, CancellationToken ct) =>
        CallCoreAsync(command, argsJson, ct, duringDispose: false);

    Task<string> CallCoreAsync(string command, string argsJson, CancellationToken ct, bool duringDispose) =>
        RunSettledAsync(id => _engine.Invoke(_callDriver, JsValue.Undefined, [_driver, command, argsJson, id]),
            $"'{command}'", ct, duringDispose);

    /// <summary>
    /// Evaluates a script on the loop (a promise result is awaited) and returns JSON.stringify of its value. For the
    /// host's own tests and diagnostics; scenarios go through driver commands.
    /// </summary>
    public Task<string> EvaluateAsync(string script, CancellationToken ct) =>
        RunSettledAsync(id =>
        {
            var value = _engine.Evaluate(script);
            _engine.Invoke(_settleValue, JsValue.Undefined, [value, id]);
        }, "script", ct, duringDispose: false);

    // Starts work on the loop that ends with host.settle(id, ...) and waits for that settlement.
    async Task<string> RunSettledAsync(Action<long> start, string what, CancellationToken ct, bool duringDispose)
    {
        if (_disposed != 0 && !duringDispose) throw new ObjectDisposedException(nameof(JintRuntime));
        long id = Interlocked.Increment(ref _nextCall);
        var tcs = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _calls[id] = tcs;
        try
        {
            bool posted = _loop.Post(() =>
            {
                try
                {
                    start(id);
                }
                catch (Exception e)
                {
                    tcs.TrySetException(new JsDriverHostException($"Jint failed to run {what}: {Describe(e)}", e));
                }
            });
            if (!posted) throw new ObjectDisposedException(nameof(JintRuntime));
            return await tcs.Task.WaitAsync(ct);
        }
        finally
        {
            _calls.TryRemove(id, out _);
        }
    }

    void Settle(long id, bool ok, string text)
    {
        if (!_calls.TryGetValue(id, out var tcs)) return;
        if (ok) tcs.TrySetResult(text);
        else tcs.TrySetException(new JsDriverHostException($"Jint driver call failed: {text}"));
    }

    void Log(string level, string text)
    {
        string line = $"[{level}] {text}";
        _console.Add(line);
        _consoleSink?.Invoke(line);
    }

    static string Describe(Exception e) => e is JavaScriptException js ? $"{js.Error}: {js.Message}\n{js.JavaScriptStackTrace}" : e.ToString();

    /// <summary>
    /// After the driver destroyed its sockets: waits for their close handshakes (at most 2 s), aborts the rest
    /// without further events, and clears localStorage.
    /// </summary>
    public async Task ResetAsync(CancellationToken ct)
    {
        await WaitForSocketsClosedAsync(TimeSpan.FromSeconds(2), ct);
        await _loop.InvokeAsync(() =>
        {
            _sockets.AbortAll();
            _engine.Invoke(_clearStorage);
        }).WaitAsync(ct);
    }

    async Task WaitForSocketsClosedAsync(TimeSpan limit, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            int open;
            try { open = await _loop.InvokeAsync(() => _sockets.OpenCount).WaitAsync(limit, ct); }
            catch (Exception e) when (e is TimeoutException or ObjectDisposedException) { return; }
            if (open == 0) return;
            await Task.Delay(20, ct);
        }
    }

    /// <summary>
    /// Destroys the driver's sockets (each closes with 1000 like a page being closed by its script), waits briefly
    /// for the close handshakes, then aborts whatever is left and stops the loop.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            if (!_driver.IsUndefined())
            {
                using var destroyTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try { await CallCoreAsync("destroyAll", "[]", destroyTimeout.Token, duringDispose: true); }
                catch (Exception e) when (e is OperationCanceledException or JsDriverHostException or ObjectDisposedException) { }
                await WaitForSocketsClosedAsync(TimeSpan.FromSeconds(2), CancellationToken.None);
            }
            try
            {
                await _loop.InvokeAsync(() =>
                {
                    _sockets?.AbortAll();
                    _loop.ClearAllTimers();
                }).WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is TimeoutException or ObjectDisposedException) { }
        }
        finally
        {
            _engineCancel.Cancel();
            foreach (var call in _calls.Values) call.TrySetException(new ObjectDisposedException(nameof(JintRuntime)));
            _loop.Dispose();
            _engineCancel.Dispose();
        }
    }
}
