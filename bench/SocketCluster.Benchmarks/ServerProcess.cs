using System.Diagnostics;
using Conformance.JsHosts;

namespace SocketCluster.Benchmarks;

/// <summary>
/// A server under test in its own process (the C# sample or the official Node fixture): started with --port 0,
/// ready once it prints "LISTENING port", stopped by closing its stdin (the shared <see cref="ListeningProcess"/>). Its
/// CPU time and resident memory are read from /proc/PID, the process's own counters, so a busy machine changes
/// throughput but hardly CPU per operation.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly ListeningProcess? _owned; // null when attached
    private readonly int _pid;

    private ServerProcess(string name, int pid, int port, ListeningProcess? owned)
    {
        Name = name;
        _pid = pid;
        Port = port;
        _owned = owned;
    }

    /// <summary>A server already running (for profiling it with dotnet-trace while the scenarios run): "port:pid".</summary>
    public static ServerProcess Attach(string portAndPid)
    {
        var parts = portAndPid.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var port) || !int.TryParse(parts[1], out var pid))
            throw new ArgumentException($"--attach expects port:pid, got {portAndPid}");
        using var process = Process.GetProcessById(pid); // fails at once when there is no such process
        return new ServerProcess($"attached {pid}", pid, port, owned: null);
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
        // The sample's own GC setting, stated so both runs are alike.
        var environment = new Dictionary<string, string> { ["DOTNET_gcServer"] = "0" };
        var process = await ListeningProcess.StartAsync(fileName, args, workingDirectory, TimeSpan.FromSeconds(60), environment);
        return new ServerProcess(name, process.Process.Id, process.Port, process);
    }

    /// <summary>User + system CPU time of the server process so far.</summary>
    public TimeSpan CpuTime => ProcCounters.CpuTime(_pid);

    /// <summary>Resident set size in bytes.</summary>
    public long ResidentBytes => ProcCounters.ResidentBytes(_pid);

    public async ValueTask DisposeAsync()
    {
        if (_owned is not null) await _owned.DisposeAsync();
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
