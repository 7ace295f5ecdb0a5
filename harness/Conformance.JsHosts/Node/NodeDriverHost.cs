using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Conformance.JsHosts.Node;

/// <summary>
/// Runs <c>node js-client-fixtures/node-client-driver.mjs</c> (socketcluster-client 20.0.2, or 14.3.2 with
/// <c>--v14</c>) and talks to it in JSON lines: <c>{"id","cmd","args"}</c> out, <c>{"id","result"|"error"}</c> back.
/// </summary>
public sealed class NodeDriverHost : IResettableJsDriverHost
{
    readonly Process _process;
    readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    readonly SemaphoreSlim _writeLock = new(1, 1); // one writer on stdin
    readonly StderrTail _stderr = new();
    readonly Task _readLoop;
    long _nextId;
    volatile Exception? _fault;
    int _disposed;

    NodeDriverHost(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _stderr.Add(e.Data); };
        _process.BeginErrorReadLine();
        _readLoop = Task.Run(ReadLoopAsync);
    }

    public string Name => "node";

    /// <summary>The driver process id (diagnostics and tests).</summary>
    internal int ProcessId => _process.Id;

    /// <summary>True when this host runs the protocol-v1 client (socketcluster-client 14.3.2).</summary>
    public bool IsV14 { get; private init; }

    /// <summary>Starts the driver process and checks that it answers <c>info</c>.</summary>
    public static async Task<NodeDriverHost> StartAsync(bool v14 = false, CancellationToken ct = default)
    {
        string script = FixturePaths.Require(FixturePaths.NodeClientDriver);
        FixturePaths.Require(FixturePaths.DriverCore);
        var psi = new ProcessStartInfo(NodeExecutable.Path)
        {
            WorkingDirectory = FixturePaths.JsClientFixtures,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardInputEncoding = new UTF8Encoding(false),
        };
        psi.ArgumentList.Add(script);
        if (v14) psi.ArgumentList.Add("--v14");
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new JsHostUnavailableException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new JsHostUnavailableException(NodeExecutable.MissingMessage, e);
        }
        var host = new NodeDriverHost(process) { IsV14 = v14 };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            var info = await host.CallAsync("info", [], timeout.Token);
            if (!info.TryGetProperty("ok", out var ok) || !ok.GetBoolean())
            {
                throw new JsDriverHostException($"node driver answered info with {info.GetRawText()}");
            }
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return host;
    }

    public async Task<JsonElement> CallAsync(string command, IReadOnlyList<JsonElement> args, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(args);
        ThrowIfUnusable();
        long id = Interlocked.Increment(ref _nextId);
        var tcs = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        try
        {
            string line = DriverRequest.Serialize(id, command, args);
            await _writeLock.WaitAsync(ct);
            try
            {
                ThrowIfUnusable();
                // Not cancellable: a line cut in half would garble the next request too.
                await _process.StandardInput.WriteLineAsync(line);
                await _process.StandardInput.FlushAsync(CancellationToken.None);
            }
            catch (IOException e)
            {
                throw Died(e);
            }
            finally
            {
                _writeLock.Release();
            }
            return await tcs.Task.WaitAsync(ct);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Destroys all sockets; the Node client keeps auth tokens per socket (no localStorage), so that is all.</summary>
    public async Task ResetAsync(CancellationToken ct = default) =>
        DriverResults.EnsureOk(await CallAsync("destroyAll", [], ct), Name, "destroyAll");

    async Task ReadLoopAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.Length == 0) continue;
                HandleLine(line);
            }
            _fault ??= Died(null);
        }
        catch (Exception e)
        {
            _fault ??= Died(e);
        }
        foreach (var pending in _pending.Values) pending.TrySetException(_fault!);
    }

    void HandleLine(string line)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            _stderr.Add($"(stdout, not JSON) {line}");
            return;
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("id", out var idElement) ||
                idElement.ValueKind != JsonValueKind.Number || !idElement.TryGetInt64(out long id))
            {
                _stderr.Add($"(stdout, no request id) {line}");
                return;
            }
            if (!_pending.TryGetValue(id, out var tcs)) return; // the caller gave up (cancelled)
            if (root.TryGetProperty("result", out var result)) tcs.TrySetResult(result.Clone());
            else if (root.TryGetProperty("error", out var error))
                tcs.TrySetException(new JsDriverHostException($"node driver refused the request: {error}"));
            else tcs.TrySetException(new JsDriverHostException($"node driver sent a reply without result: {line}"));
        }
    }

    void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_fault is not null) throw _fault;
    }

    JsDriverHostException Died(Exception? inner)
    {
        string exit = _process.HasExited ? $" (exit code {_process.ExitCode})" : "";
        string message = $"The node client driver stopped{exit}. stderr: {_stderr.Text}";
        return inner is null ? new JsDriverHostException(message) : new JsDriverHostException(message, inner);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            // Closing stdin makes the driver destroy its sockets and exit on its own.
            await _writeLock.WaitAsync();
            try { _process.StandardInput.Close(); } catch (IOException) { } finally { _writeLock.Release(); }
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try { await _process.WaitForExitAsync(grace.Token); } catch (OperationCanceledException) { }
        }
        finally
        {
            if (!_process.HasExited)
            {
                try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            }
            await _readLoop.ConfigureAwait(false);
            _process.Dispose();
            _writeLock.Dispose();
        }
    }
}
