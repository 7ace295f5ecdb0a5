using System.Globalization;

namespace SocketCluster.Fuzz.Tests;

/// <summary>
/// How long each fuzz target runs: SC_FUZZ_SECONDS (default 25, so the codec and the server socket together take
/// about a minute of fuzzing). The two targets are single-threaded and run side by side (xunit.runner.json: two test
/// classes in parallel), each on a core of a CI machine for its full budget, so test.sh waits 25 s, not 50.
/// SC_FUZZ_REPORT names a file that gets one line of figures per target.
/// </summary>
public static class FuzzBudget
{
    public static int Seconds { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("SC_FUZZ_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 25;

    public static void Report(ITestOutputHelper output, string target, long executions, string extra = "")
    {
        var line = $"fuzz {target}: {executions} executions in {Seconds} s, 0 crashes, 0 hangs{extra}";
        output.WriteLine(line);
        Console.WriteLine(line);
        if (Environment.GetEnvironmentVariable("SC_FUZZ_REPORT") is { Length: > 0 } file) File.AppendAllText(file, line + Environment.NewLine);
    }
}
