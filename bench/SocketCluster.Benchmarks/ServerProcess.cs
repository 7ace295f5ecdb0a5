using System.Diagnostics;

namespace SocketCluster.Benchmarks;

/// <summary>
/// A server under test in its own process (the C# sample or the official Node fixture): started with --port 0,
/// ready once it prints "LISTENING port", stopped by closing its stdin. Its CPU time and resident memory are read
/// from /proc/PID, the process's own counters, so a busy machine changes throughput but hardly CPU per operation.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly bool _owned;

    private ServerProcess(string name, Process process, int port, bool owned = true)
    {
        Name = name;
        _process = process;
        Port = port;
        _owned = owned;
    }

    /// <summary>A server already running (for profiling it with dotnet-trace while the scenarios run): "port:pid".</summary>
    public static ServerProcess Attach(string portAndPid)
    {
        var parts = portAndPid.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var port) || !int.TryParse(parts[1], out var pid))
            throw new ArgumentException($"--attach expects port:pid, got {portAndPid}");
        return new ServerProcess($"attached {pid}", Process.GetProcessById(pid), port, owned: false);
    }

    public string Name { get; }
    public int Port { get; }
    public Uri Url => new($"ws://127.0.0.1:{Port}/socketcluster/");

    /// <summary>Flags both servers take (spec/fixture-app.md §3): timeouts long enough for a loaded machine.</summary>
    public static readonly string[] CommonFlags =
        ["--port", "0", "--ping-interval", "2000", "--ping-timeout", "20000", "--ack-timeout", "20000", "--handshake-timeout", "20000"];

    public static Task<ServerProcess> StartCSharpAsync(string repoRoot)
    {
        var dll = Path.Combine(repoRoot, "reference/SocketCluster.Sample/bin/Release/net10.0/SocketCluster.Sample.dll");
        if (!File.Exists(dll))
            throw new FileNotFoundException($"Build the sample first: dotnet build reference/SocketCluster.Sample -c Release ({dll} is missing).");
        return StartAsync("C# sample", "dotnet", [dll, .. CommonFlags, "--exit-on-stdin-close"], repoRoot);
    }

    public static Task<ServerProcess> StartNodeAsync(string repoRoot)
    {
        var fixtures = Path.Combine(repoRoot, "js-client-fixtures");
        if (!Directory.Exists(Path.Combine(fixtures, "node_modules/socketcluster-server")))
            throw new DirectoryNotFoundException("Install the pinned packages first: (cd js-client-fixtures && npm ci).");
        return StartAsync("Node 20.0.1", "node", ["fixture-server.js", .. CommonFlags], fixtures);
    }

    private static async Task<ServerProcess> StartAsync(string name, string fileName, string[] args, string workingDirectory)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        psi.Environment["DOTNET_gcServer"] = "0"; // the sample's own setting; stated so both runs are alike
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"{fileName} did not start");
        process.ErrorDataReceived += (_, _) => { }; // drained so a chatty server never blocks on a full pipe
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? line;
        try
        {
            line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            line = null;
        }
        if (line is null || !line.StartsWith("LISTENING ", StringComparison.Ordinal) || !int.TryParse(line[10..], out var port))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new InvalidOperationException($"{name} did not print LISTENING <port> within 60 s (got {line ?? "nothing"}).");
        }
        return new ServerProcess(name, process, port);
    }

    /// <summary>User + system CPU time of the server process so far.</summary>
    public TimeSpan CpuTime => ProcCounters.CpuTime(_process.Id);

    /// <summary>Resident set size in bytes.</summary>
    public long ResidentBytes => ProcCounters.ResidentBytes(_process.Id);

    public async ValueTask DisposeAsync()
    {
        if (!_owned) return;
        try { _process.StandardInput.Close(); } catch (IOException) { }
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }
        _process.Dispose();
    }
}

/// <summary>/proc/PID/stat and /proc/PID/status (Linux).</summary>
public static class ProcCounters
{
    // USER_HZ is 100 on every Linux ABI .NET supports (the kernel exports times in these ticks).
    private const double TicksPerSecond = 100;

    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name (which is in parentheses and may contain spaces): utime is field 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    public static long ResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidOperationException($"/proc/{pid}/status has no VmRSS");
    }
}
