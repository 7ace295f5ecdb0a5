using System.Diagnostics;
using System.Text;

namespace Conformance.Cli.Tests.EndToEnd;

/// <summary>Runs the built gate (Conformance.Cli.dll, copied next to the tests) as a child process with `dotnet`.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    public static Task<Result> RunAsync(params string[] args) => RunAsync(args, environment: null);

    /// <summary>Runs the gate with <paramref name="environment"/> set on top of (or, with a null value, removed from) the inherited one.</summary>
    public static async Task<Result> RunAsync(string[] args, IReadOnlyDictionary<string, string?>? environment)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Conformance.Cli.dll");
        if (!File.Exists(cli)) throw new FileNotFoundException("The gate was not built next to the tests.", cli);
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(cli);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet could not be started");
        process.StandardInput.Close();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Generous: a loaded 2-core machine; the selections used by the tests finish in well under a minute.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the gate did not finish: {string.Join(' ', args)}\n{stdout}\n{stderr}");
        }
        process.WaitForExit(); // drain the output events
        lock (stdout) lock (stderr) return new Result(process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
