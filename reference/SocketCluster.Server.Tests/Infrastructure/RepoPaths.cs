using System.Reflection;

namespace SocketCluster.Server.Tests.Infrastructure;

/// <summary>Repository files, found through the ConformanceRepoRoot assembly metadata (never relative to bin/).</summary>
public static class RepoPaths
{
    public static string Root { get; } = typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ConformanceRepoRoot").Value!;

    public static string JsClientFixtures => Path.Combine(Root, "js-client-fixtures");

    /// <summary>Fails with a clear message when the pinned npm packages are not installed.</summary>
    public static void RequireNodeModules()
    {
        var client = Path.Combine(JsClientFixtures, "node_modules", "socketcluster-client", "package.json");
        if (!File.Exists(client))
            Assert.Fail($"js-client-fixtures/node_modules is missing ({client} not found): run `npm ci` in {JsClientFixtures}.");
    }
}
