namespace Conformance.Cli.Tests.EndToEnd;

/// <summary>
/// Runs the built gate (Conformance.Cli.dll, copied next to the tests) as a child process with `dotnet`, or any other
/// program (the installed tool, `dotnet pack`), with a deadline.
/// </summary>
internal static class CliProcess
{
    // Generous: a loaded 2-core machine; the selections (and packs) used by the tests finish in well under a minute.
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(8);

    public static Task<ChildProcess.Result> RunAsync(params string[] args) => RunAsync(args, environment: null);

    /// <summary>Runs the gate with <paramref name="environment"/> set on top of (or, with a null value, removed from) the inherited one.</summary>
    public static Task<ChildProcess.Result> RunAsync(string[] args, IReadOnlyDictionary<string, string?>? environment)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Conformance.Cli.dll");
        if (!File.Exists(cli)) throw new FileNotFoundException("The gate was not built next to the tests.", cli);
        return ChildProcess.RunAsync("dotnet", null, [cli, .. args], Deadline, environment);
    }

    /// <param name="workingDirectory">Null: the test's own.</param>
    /// <param name="environment">Variables to set (a null value removes the variable).</param>
    public static Task<ChildProcess.Result> RunProgramAsync(string program, string? workingDirectory, IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string?>? environment = null) =>
        ChildProcess.RunAsync(program, workingDirectory, args, Deadline, environment);
}
