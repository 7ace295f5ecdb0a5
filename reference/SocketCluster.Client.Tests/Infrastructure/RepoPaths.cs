using System.Reflection;

namespace SocketCluster.Client.Tests.Infrastructure;

/// <summary>Finds repository files through the ConformanceRepoRoot metadata stamped at build time.</summary>
public static class RepoPaths
{
    public static string Root { get; } = typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ConformanceRepoRoot").Value!;

    public static string JsFixtures => Path.Combine(Root, "js-client-fixtures");
}
