using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace SocketCluster.Sample.Fixture;

/// <summary>Serves the official client bundle (socketcluster-client 20.0.2) from js-client-fixtures.</summary>
public sealed class ClientBundle(string path)
{
    public const string RelativePath = "js-client-fixtures/node_modules/socketcluster-client/socketcluster-client.min.js";

    public string Path { get; } = path;

    /// <summary>Under the repository root stamped into the assembly (ConformanceRepoRoot), else the working directory.</summary>
    public static string DefaultPath()
    {
        var root = typeof(ClientBundle).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ConformanceRepoRoot")?.Value;
        return System.IO.Path.GetFullPath(System.IO.Path.Combine(root ?? Directory.GetCurrentDirectory(), RelativePath));
    }

    public IResult Serve() => File.Exists(Path)
        ? Results.File(Path, "text/javascript")
        : Results.Text($"socketcluster-client.min.js not found at {Path}: run npm ci in js-client-fixtures (or pass --client-bundle <path>).",
            "text/plain", statusCode: StatusCodes.Status404NotFound);
}
