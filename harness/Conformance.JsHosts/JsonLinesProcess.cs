using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Conformance.JsHosts;

/// <summary>
/// A child process spoken to in JSON lines over stdin/stdout: each request is one JSON object carrying a numeric
/// <c>id</c>, each reply one JSON object with the same <c>id</c>, in any order. Used by the Node driver host
/// (node-client-driver.mjs) and by client adapters (spec/client-adapter.md). stderr is kept for error messages; a
/// stdout line that is not a JSON object with a numeric id is kept there too. Closing stdin asks the process to exit.
/// </summary>
public sealed class JsonLinesProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly string _name;
    readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    readonly SemaphoreSlim _writeLock = new(1, 1); // one writer on stdin
    readonly StderrTail _stderr = new();
    readonly Task _readLoop;
    long _nextId;
    volatile Exception? _fault;
    int _disposed;

    JsonLinesProcess(Process process, string name)
    {
        _process = process;
        _name = name;
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _stderr.Add(e.Data); };
        _process.BeginErrorReadLine();
        _readLoop = Task.Run(ReadLoopAsync);
    }

    /// <summary>The process id (diagnostics and tests).</summary>
    public int ProcessId => _process.Id;

    /// <summary>The last lines of stderr (and of stdout lines that were not replies).</summary>
    public string Stderr => _stderr.Text;

    /// <summary>Starts the process with stdin/stdout/stderr redirected (UTF-8, no BOM).</summary>
    /// <exception cref="JsHostUnavailableException">The executable could not be started; the message says which.</exception>
    public static JsonLinesProcess Start(ProcessStartInfo psi, string name, string? missingMessage = null)
    {
        psi.RedirectStandardInput = true;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        psi.StandardOutputEncoding = new UTF8Encoding(false);
        psi.StandardInputEncoding = new UTF8Encoding(false);
        try
        {
            var process = Process.Start(psi) ?? throw new JsHostUnavailableException($"{name}: {psi.FileName} did not start");
            return new JsonLinesProcess(process, name);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new JsHostUnavailableException(missingMessage ?? $"{name}: cannot start {psi.FileName}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Sends the line <paramref name="writeRequest"/> makes for a fresh id and returns the reply object (the whole line,
    /// detached). Throws <see cref="JsDriverHostException"/> when the process died; honours <paramref name="ct"/> (callers
    /// pass a deadline: nothing here waits without one).
    /// </summary>
    public async Task<JsonElement> RequestAsync(Func<long, string> writeRequest, CancellationToken ct)
    {
        ThrowIfUnusable();
        long id = Interlocked.Increment(ref _nextId);
        var tcs = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        try
        {
            string line = writeRequest(id);
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

    async Task ReadLoopAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.Length == 0) continue;
                HandleLine(line);
            }
            // stdout closed: the process is exiting. Give it a moment so the error names its exit code and last stderr.
            try { await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(2)); } catch (TimeoutException) { }
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
            if (_pending.TryGetValue(id, out var tcs)) tcs.TrySetResult(root.Clone()); // else the caller gave up
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
        string message = $"The {_name} stopped{exit}. stderr: {_stderr.Text}";
        return inner is null ? new JsDriverHostException(message) : new JsDriverHostException(message, inner);
    }

    /// <summary>Closes stdin and gives the process <paramref name="grace"/> (default 3 s) to exit, then kills it.</summary>
    public async ValueTask DisposeAsync() => await DisposeAsync(TimeSpan.FromSeconds(3));

    public async ValueTask DisposeAsync(TimeSpan grace)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            await _writeLock.WaitAsync();
            try { _process.StandardInput.Close(); } catch (IOException) { } finally { _writeLock.Release(); }
            using var timeout = new CancellationTokenSource(grace);
            try { await _process.WaitForExitAsync(timeout.Token); } catch (OperationCanceledException) { }
        }
        finally
        {
            if (!_process.HasExited)
            {
                try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            }
            // The read loop ends once stdout closes (the process is gone); bounded in case a grandchild keeps it open.
            try { await _readLoop.WaitAsync(TimeSpan.FromSeconds(5)); } catch (TimeoutException) { }
            _process.Dispose();
            _writeLock.Dispose();
        }
    }
}
