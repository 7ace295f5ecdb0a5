using System.Diagnostics;
using System.Text;
using Conformance.JsHosts.Node;

namespace Conformance.TestUtilities;

/// <summary>Runs a node script to completion (CONFORMANCE_NODE, else node on the PATH), capturing its output, with a deadline.</summary>
public static class NodeProcess
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static async Task<Result> RunAsync(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(NodeExecutable.Path)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{NodeExecutable.MissingMessage} ({e.Message})", e);
        }
        using (process)
        {
            var stdout = new StringBuilder();
            var stderr = new StringBuilder();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"node {string.Join(' ', args)} did not finish within {timeout.TotalSeconds} s.\nstdout:\n{stdout}\nstderr:\n{stderr}");
            }
            process.WaitForExit(); // flush the output handlers
            return new Result(process.ExitCode, stdout.ToString(), stderr.ToString());
        }
    }
}
