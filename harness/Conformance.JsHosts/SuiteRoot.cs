using System.Reflection;

namespace Conformance.JsHosts;

/// <summary>
/// The folder holding the suite's files: features/, spec/ and js-client-fixtures/. The one place the harness looks for
/// it, in this order: <c>CONFORMANCE_REPO_ROOT</c>; the <c>suite/</c> folder next to the running program (the installed
/// .NET tool carries its own copy, so it runs outside any clone); the repository root stamped into the assembly by
/// Directory.Build.props (builds inside the repository); a parent folder of the program holding Conformance.sln.
/// </summary>
public static class SuiteRoot
{
    /// <summary>The folder name of the bundled copy in the tool package (Conformance.Cli.csproj packs it).</summary>
    public const string BundledFolderName = "suite";

    private static readonly Lazy<string> Found = new(() => Find());

    /// <summary>The suite folder of this process (found once).</summary>
    public static string Path => Found.Value;

    /// <summary>Whether this process runs on the suite/ copy next to the program (the installed tool).</summary>
    public static bool IsBundled =>
        string.Equals(Path, System.IO.Path.GetFullPath(System.IO.Path.Combine(AppContext.BaseDirectory, BundledFolderName)), StringComparison.Ordinal);

    /// <summary>Looks for the suite folder; <paramref name="getEnv"/> replaces the environment in tests.</summary>
    public static string Find(Func<string, string?>? getEnv = null)
    {
        getEnv ??= Environment.GetEnvironmentVariable;
        var stamped = typeof(SuiteRoot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ConformanceRepoRoot")?.Value;
        var candidates = new[]
        {
            getEnv("CONFORMANCE_REPO_ROOT"),
            System.IO.Path.Combine(AppContext.BaseDirectory, BundledFolderName),
            stamped,
        };
        foreach (var candidate in candidates)
            if (!string.IsNullOrEmpty(candidate) && IsSuite(candidate)) return System.IO.Path.GetFullPath(candidate);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Conformance.sln")) && IsSuite(dir.FullName)) return dir.FullName;
        throw new InvalidOperationException(
            "Cannot find the suite's files (features/, spec/, js-client-fixtures/): set CONFORMANCE_REPO_ROOT to a clone of the "
            + "repository, or run the installed tool (it carries them in its suite/ folder).");
    }

    private static bool IsSuite(string folder) =>
        Directory.Exists(System.IO.Path.Combine(folder, "features")) && Directory.Exists(System.IO.Path.Combine(folder, "spec"));
}
