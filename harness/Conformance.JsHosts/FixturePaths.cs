namespace Conformance.JsHosts;

/// <summary>Locates js-client-fixtures/ and the files the hosts load from it.</summary>
public static class FixturePaths
{
    /// <summary>The suite's folder (<see cref="SuiteRoot"/>): the repository root, or the installed tool's suite/ copy.</summary>
    public static string RepoRoot => SuiteRoot.Path;

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
}
