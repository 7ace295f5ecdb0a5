using System.Reflection;

namespace Conformance.SamplePage.Tests;

/// <summary>Repository files, found through the ConformanceRepoRoot metadata stamped by Directory.Build.props.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = Path.GetFullPath(
        typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ConformanceRepoRoot")?.Value
        ?? throw new InvalidOperationException("ConformanceRepoRoot metadata is missing from the test assembly."));

    public static string Docs => Path.Combine(Root, "docs");
}
