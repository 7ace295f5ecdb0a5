using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Conformance.JsHosts;

namespace Conformance.Engine.Support;

/// <summary>
/// A real redis-server process on 127.0.0.1 and a free port (Debian's redis-server; test.sh installs it): no
/// persistence, no config file, killed with the test process's stdin gone. Stop and start keep the port, so clients
/// configured with <see cref="Configuration"/> reconnect to the new process (the broker-restart cases, CL-009, RB-*).
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    public const string ExecutableVariable = "SC_REDIS_SERVER";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private readonly string _executable;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private RedisServerProcess(string executable, int port)
    {
        _executable = executable;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string of this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>redis-server from SC_REDIS_SERVER or the PATH; null when there is none.</summary>
    public static string? FindExecutable()
    {
        if (Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } configured) return File.Exists(configured) ? configured : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "redis-server");
            if (File.Exists(candidate)) return candidate;
        }
        return File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : null;
    }

    /// <summary>A port nobody listens on right now (the OS's next ephemeral one).</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    /// <summary>A server on a free port, not started yet (the "unreachable at start" case starts it later).</summary>
    public static RedisServerProcess Create(int? port = null) =>
        new(FindExecutable() ?? throw new InvalidOperationException(
            "redis-server is not installed (apt-get install redis-server; ./test.sh installs it) and SC_REDIS_SERVER is not set"),
            port ?? FreePort());

    public static async Task<RedisServerProcess> StartNewAsync(CancellationToken cancellation = default)
    {
        var redis = Create();
        await redis.StartAsync(cancellation).ConfigureAwait(false);
        return redis;
    }

    /// <summary>Starts the process and returns once it accepts connections (PING answered), within 15 s.</summary>
    public async Task StartAsync(CancellationToken cancellation = default)
    {
        if (IsRunning) return;
        var info = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no", "--loglevel", "warning" })
            info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {_executable}");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            if (process.HasExited)
                throw new InvalidOperationException($"redis-server on port {Port} exited with code {process.ExitCode}: {Output}");
            if (await PingAsync(cancellation).ConfigureAwait(false)) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"redis-server on port {Port} did not answer PING within {StartTimeout.TotalSeconds} s: {Output}");
            await Task.Delay(50, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>Kills the process (SIGKILL: connections drop as in a crash); the port is kept for <see cref="StartAsync"/>.</summary>
    public Task StopAsync()
    {
        var process = _process;
        _process = null;
        return ProcessKill.KillAsync(process);
    }

    /// <summary>Sends one inline command (e.g. "PUBSUB NUMSUB ch") and returns the raw RESP reply text.</summary>
    public async Task<string> CommandAsync(string command, CancellationToken cancellation = default)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token).ConfigureAwait(false);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(command + "\r\n"), timeout.Token).ConfigureAwait(false);
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>How many clients of this server are subscribed to the channel (PUBSUB NUMSUB).</summary>
    public async Task<int> SubscriberCountAsync(string channel, CancellationToken cancellation = default)
    {
        // Reply: *2 $len channel :count
        var reply = await CommandAsync($"PUBSUB NUMSUB {channel}", cancellation).ConfigureAwait(false);
        var last = reply.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Last();
        return last.StartsWith(':') ? int.Parse(last[1..], System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"unexpected PUBSUB NUMSUB reply: {reply}");
    }

    private async Task<bool> PingAsync(CancellationToken cancellation)
    {
        try
        {
            return (await CommandAsync("PING", cancellation).ConfigureAwait(false)).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellation.IsCancellationRequested)
        {
            return false;
        }
    }

    private string Output
    {
        get { lock (_output) return _output.ToString().Trim(); }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
