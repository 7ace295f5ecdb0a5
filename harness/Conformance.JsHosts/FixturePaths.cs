using System.Reflection;

namespace Conformance.JsHosts;

/// <summary>Locates js-client-fixtures/ and the files the hosts load from it.</summary>
public static class FixturePaths
{
    /// <summary>The repository root: <c>CONFORMANCE_REPO_ROOT</c>, else the assembly metadata stamped by Directory.Build.props.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string JsClientFixtures => Path.Combine(RepoRoot, "js-client-fixtures");
    public static string NodeClientDriver => Path.Combine(JsClientFixtures, "node-client-driver.mjs");
    public static string DriverCore => Path.Combine(JsClientFixtures, "driver", "driver-core.mjs");
    public static string DriverPage => Path.Combine(JsClientFixtures, "browser", "driver.html");
    public static string FixtureServer => Path.Combine(JsClientFixtures, "fixture-server.js");
    public static string ClientBundle =>
        Path.Combine(JsClientFixtures, "node_modules", "socketcluster-client", "socketcluster-client.min.js");

    /// <summary>Fails with a clear message when a fixture file is missing (most often: npm ci not run).</summary>
    public static string Require(string path)
    {
        if (File.Exists(path)) return path;
        string hint = path.Contains("node_modules", StringComparison.Ordinal)
            ? $" Run `cd {JsClientFixtures} && npm ci` first (node_modules is not committed)."
            : "";
        throw new JsHostUnavailableException($"Missing fixture file {path}.{hint}");
    }

    static string FindRepoRoot()
    {
        string? fromEnv = Environment.GetEnvironmentVariable("CONFORMANCE_REPO_ROOT");
        if (!string.IsNullOrEmpty(fromEnv)) return Path.GetFullPath(fromEnv);
        string? stamped = typeof(FixturePaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ConformanceRepoRoot")?.Value;
        if (!string.IsNullOrEmpty(stamped) && Directory.Exists(stamped)) return Path.GetFullPath(stamped);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Conformance.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException(
            "Cannot find the repository root: set CONFORMANCE_REPO_ROOT or build through Directory.Build.props.");
    }
}
