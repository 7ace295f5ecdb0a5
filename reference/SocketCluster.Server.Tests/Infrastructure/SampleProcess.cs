using System.Diagnostics;
using System.Text;

namespace SocketCluster.Server.Tests.Infrastructure;

/// <summary>The sample's executable, copied next to the tests by the project reference.</summary>
internal sealed class SampleProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private SampleProcess(Process process) => _process = process;

    public int Port { get; private set; }

    public bool HasExited => _process.HasExited;

    public string StdErr { get { lock (_stderr) return _stderr.ToString(); } }

    public static ProcessStartInfo StartInfo(params string[] args) => StartInfo([], args);

    /// <summary>The sample run through <paramref name="wrapper"/>, a program that execs its arguments (e.g. prlimit).</summary>
    public static ProcessStartInfo StartInfo(IReadOnlyList<string> wrapper, params string[] args)
    {
        var exe = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "SocketCluster.Sample.exe" : "SocketCluster.Sample");
        Assert.True(File.Exists(exe), $"{exe} is missing: the test project references reference/SocketCluster.Sample.");
        var start = new ProcessStartInfo(wrapper.Count > 0 ? wrapper[0] : exe)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in wrapper.Skip(1)) start.ArgumentList.Add(arg);
        if (wrapper.Count > 0) start.ArgumentList.Add(exe);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return start;
    }

    public static Task<SampleProcess> StartAsync(params string[] args) => StartAsync(StartInfo(args));

    public static async Task<SampleProcess> StartAsync(ProcessStartInfo startInfo)
    {
        var sample = new SampleProcess(Process.Start(startInfo)!);
        sample._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (sample._stderr) sample._stderr.AppendLine(e.Data); };
        sample._process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(StartDeadline);
        try
        {
            // The fixture contract: the first stdout line is "LISTENING <port>".
            var line = await sample._process.StandardOutput.ReadLineAsync(deadline.Token);
            Assert.True(line is not null && line.StartsWith("LISTENING ", StringComparison.Ordinal),
                $"expected 'LISTENING <port>', got '{line}'\n{sample.StdErr}");
            sample.Port = int.Parse(line["LISTENING ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            return sample;
        }
        catch
        {
            await sample.DisposeAsync();
            throw;
        }
    }

    /// <summary>--exit-on-stdin-close: closing stdin stops it; killed if it has not exited 10 s later.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
        }
    }
}
