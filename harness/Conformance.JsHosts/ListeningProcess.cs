using System.Diagnostics;
using System.Globalization;

namespace Conformance.JsHosts;

/// <summary>
/// A server child process that prints "LISTENING &lt;port&gt;" once it listens (the Node fixture servers, the C#
/// sample, spec/fixture-app.md §3) and exits when its stdin closes, so it never outlives the process that started
/// it. The one start-up of every such server in the test projects and the benchmark: the LISTENING wait with a
/// deadline, stderr kept for error messages, and stdout drained afterwards so a chatty child never blocks on a full
/// pipe.
/// </summary>
public sealed class ListeningProcess : IAsyncDisposable
{
    readonly StderrTail _stderr;
    int _stopped;

    ListeningProcess(Process process, StderrTail stderr, int port)
    {
        Process = process;
        _stderr = stderr;
        Port = port;
    }

    /// <summary>The child (for its id and counters; stop it through this object).</summary>
    public Process Process { get; }

    /// <summary>The port it printed.</summary>
    public int Port { get; }

    /// <summary>The last lines the child wrote to stderr.</summary>
    public string Stderr => _stderr.Text;

    /// <summary>Starts <paramref name="program"/> and waits for its LISTENING line.</summary>
    /// <param name="environment">Variables to set for the child.</param>
    /// <exception cref="System.ComponentModel.Win32Exception">The program could not be started (e.g. not installed).</exception>
    /// <exception cref="TimeoutException">No LISTENING line within <paramref name="startTimeout"/>; the child was killed.</exception>
    /// <exception cref="InvalidOperationException">The child exited before its LISTENING line.</exception>
    public static async Task<ListeningProcess> StartAsync(string program, IEnumerable<string> arguments, string workingDirectory,
        TimeSpan startTimeout, IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellation = default)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        var stderr = new StderrTail(100);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) stderr.Add(e.Data); };
        process.BeginErrorReadLine();

        var what = $"{Path.GetFileName(program)} {string.Join(' ', info.ArgumentList)}";
        var before = new StderrTail(20); // what it printed before LISTENING, for the error message
        int port;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
        {
            timeout.CancelAfter(startTimeout);
            try
            {
                while (true)
                {
                    var line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
                    if (line is null)
                    {
                        await ProcessKill.KillAsync(process).ConfigureAwait(false);
                        throw new InvalidOperationException(
                            $"{what} exited before printing LISTENING <port>. stdout: {before.Text} stderr: {stderr.Text}");
                    }
                    if (line.StartsWith("LISTENING ", StringComparison.Ordinal)
                        && int.TryParse(line.AsSpan(10), NumberStyles.None, CultureInfo.InvariantCulture, out port))
                        break;
                    before.Add(line);
                }
            }
            catch (OperationCanceledException)
            {
                await ProcessKill.KillAsync(process).ConfigureAwait(false);
                cancellation.ThrowIfCancellationRequested();
                throw new TimeoutException(
                    $"{what} did not print LISTENING <port> within {startTimeout.TotalSeconds:0.#} s. stdout: {before.Text} stderr: {stderr.Text}");
            }
        }
        _ = DrainAsync(process.StandardOutput);
        return new ListeningProcess(process, stderr, port);
    }

    static async Task DrainAsync(StreamReader output)
    {
        try { while (await output.ReadLineAsync().ConfigureAwait(false) is not null) { } }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException) { }
    }

    /// <summary>Closes its stdin (it exits by itself) and waits up to <paramref name="grace"/>; kills it after that.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        try { Process.StandardInput.Close(); } catch (IOException) { }
        using var wait = new CancellationTokenSource(grace);
        try
        {
            await Process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            Process.Dispose();
        }
        catch (OperationCanceledException)
        {
            await ProcessKill.KillAsync(Process).ConfigureAwait(false);
        }
    }

    /// <summary>SIGKILL (<see cref="ProcessKill"/>): its peers see their TCP connections drop, like a crashed server.</summary>
    public Task KillAsync() => Interlocked.Exchange(ref _stopped, 1) != 0 ? Task.CompletedTask : ProcessKill.KillAsync(Process);

    /// <summary>Stops it as <see cref="StopAsync"/> with 5 s of grace.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
}
