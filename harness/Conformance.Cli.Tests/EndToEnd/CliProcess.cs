using System.Diagnostics;
using System.Text;

namespace Conformance.Cli.Tests.EndToEnd;

/// <summary>
/// Runs the built gate (Conformance.Cli.dll, copied next to the tests) as a child process with `dotnet`, or any other
/// program (the installed tool, `dotnet pack`), with a deadline.
/// </summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    public static Task<Result> RunAsync(params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Conformance.Cli.dll");
        if (!File.Exists(cli)) throw new FileNotFoundException("The gate was not built next to the tests.", cli);
        return RunProgramAsync("dotnet", null, [cli, .. args]);
    }

    /// <param name="workingDirectory">Null: the test's own.</param>
    /// <param name="environment">Variables to set (a null value removes the variable).</param>
    public static async Task<Result> RunProgramAsync(string program, string? workingDirectory, IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} could not be started");
        process.StandardInput.Close();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Generous: a loaded 2-core machine; the selections (and packs) used by the tests finish in well under a minute.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish: {string.Join(' ', args)}\n{stdout}\n{stderr}");
        }
        process.WaitForExit(); // drain the output events
        lock (stdout) lock (stderr) return new Result(process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
