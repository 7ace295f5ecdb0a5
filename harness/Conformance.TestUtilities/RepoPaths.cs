using Conformance.JsHosts;

namespace Conformance.TestUtilities;

/// <summary>Repository files for tests, found through <see cref="SuiteRoot"/> (never relative to bin/).</summary>
public static class RepoPaths
{
    public static string Root => SuiteRoot.Path;

    public static string JsClientFixtures => Path.Combine(Root, "js-client-fixtures");

    public static string Docs => Path.Combine(Root, "docs");

    /// <summary>Fails with a clear message when the pinned npm packages are not installed.</summary>
    public static void RequireNodeModules()
    {
        var client = Path.Combine(JsClientFixtures, "node_modules", "socketcluster-client", "package.json");
        if (!File.Exists(client))
            throw new InvalidOperationException($"js-client-fixtures/node_modules is missing ({client} not found): run `npm ci` in {JsClientFixtures}.");
    }
}
