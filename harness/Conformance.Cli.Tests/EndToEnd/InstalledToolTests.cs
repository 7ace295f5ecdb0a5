using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;
using Conformance.Engine.Support;
using Conformance.Mutants;
using SocketCluster.Sample.Fixture;
using Xunit;

namespace Conformance.Cli.Tests.EndToEnd;

/// <summary>
/// A server author's pipeline (docs/ci-gate.md): `dotnet pack` gives the three library packages and the
/// socketcluster-conformance tool; the tool installs from a local folder feed into a fresh directory outside the
/// repository and gates the C# reference sample (exit 0) and the sample behind a mutation proxy that breaks HS-002
/// (exit 1). The tool runs on the suite files it carries (suite/ in the package), not on this clone.
/// </summary>
public sealed class InstalledToolTests : IDisposable
{
    private static readonly string[] Libraries = ["SocketCluster.Protocol", "SocketCluster.Server", "SocketCluster.Client"];
    private const string ToolPackage = "SocketCluster.Conformance";

    private readonly string _dir = Directory.CreateTempSubdirectory("tool-e2e-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task The_packed_tool_installs_from_a_folder_feed_and_gates_the_sample_0_and_a_broken_server_1()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var root = EngineSettings.FindRepoRoot();
        var feed = Path.Combine(_dir, "feed");
        // --no-build: packs what the test run was built from (the same configuration as this test assembly).
        var configuration = typeof(InstalledToolTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var pack = await CliProcess.RunProgramAsync("dotnet", root,
            ["pack", Path.Combine(root, "Packages.slnf"), "-c", configuration, "--no-build", "-o", feed, "-nologo"]);
        Assert.True(pack.ExitCode == 0, pack.ToString());

        foreach (var library in Libraries)
        {
            var nupkg = Path.Combine(feed, $"{library}.0.1.0.nupkg");
            Assert.True(File.Exists(Path.Combine(feed, $"{library}.0.1.0.snupkg")), $"no symbols package for {library}");
            using var zip = ZipFile.OpenRead(nupkg);
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
            Assert.Contains("README.md", entries);
            Assert.Contains("LICENSE", entries);
            Assert.Contains($"lib/net10.0/{library}.dll", entries);
            using var nuspecStream = zip.GetEntry($"{library}.nuspec")!.Open();
            var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            Assert.Equal("MIT", metadata.Elements().Single(e => e.Name.LocalName == "license").Value);
            Assert.Equal("README.md", metadata.Elements().Single(e => e.Name.LocalName == "readme").Value);
        }

        // Only the folder feed: the tool bundles its dependencies, so nothing comes from nuget.org.
        var config = Path.Combine(_dir, "nuget.config");
        File.WriteAllText(config, """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><clear /></packageSources></configuration>
            """);
        var tools = Path.Combine(_dir, "tools");
        var work = Directory.CreateDirectory(Path.Combine(_dir, "work")).FullName;
        var install = await CliProcess.RunProgramAsync("dotnet", work,
            ["tool", "install", ToolPackage, "--tool-path", tools, "--add-source", feed, "--configfile", config]);
        Assert.True(install.ExitCode == 0, install.ToString());

        // The tool carries the suite's files: the same feature files as the repository.
        var suite = Directory.GetDirectories(tools, "suite", SearchOption.AllDirectories).Single();
        var bundled = Directory.GetFiles(Path.Combine(suite, "features"), "*.feature", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(suite, f)).Order();
        var repository = Directory.GetFiles(Path.Combine(root, "features"), "*.feature", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order();
        Assert.Equal(repository, bundled);
        Assert.True(File.Exists(Path.Combine(suite, "spec", "requirements.md")));
        Assert.True(File.Exists(Path.Combine(suite, "js-client-fixtures", "package-lock.json")));
        Assert.False(Directory.Exists(Path.Combine(suite, "js-client-fixtures", "node_modules")));

        var tool = Path.Combine(tools, OperatingSystem.IsWindows() ? "socketcluster-conformance.exe" : "socketcluster-conformance");
        var environment = new Dictionary<string, string?> { ["CONFORMANCE_REPO_ROOT"] = null };
        await using var sample = await SampleServer.StartAsync(cancellationToken: cancellation);

        // The L1 server scenarios (as GateProcessTests against the official server): this checks the installed tool, not
        // the sample's conformance, which the suite's own runs check in full.
        var passed = await CliProcess.RunProgramAsync(tool, work,
            ["--endpoint", sample.WebSocketUrl.ToString(), "--tags", "@L1 and @v2 and @server and not @slow", "--report", "out"], environment);
        Assert.True(passed.ExitCode == 0, passed.ToString());
        Assert.Contains("PASSED (exit code 0)", passed.Stdout);
        Assert.True(File.Exists(Path.Combine(work, "out", "report.json")), passed.ToString());

        await using var proxy = await MutationProxy.StartAsync(new Uri($"ws://127.0.0.1:{sample.Port}"), MutationCatalog.Get("handshake-missing-pingTimeout"), cancellation);
        var failed = await CliProcess.RunProgramAsync(tool, work,
            ["--endpoint", proxy.EndpointUri.ToString(), "--tags", "@HS-002 and @v2 and @server"], environment);
        Assert.True(failed.ExitCode == 1, failed.ToString());
        Assert.Contains("FAILED (exit code 1)", failed.Stdout);
        Assert.Contains("HS-002", failed.Stdout);
        // The re-run line names the tool's command only when the tool runs on the suite it carries (SuiteRoot.IsBundled).
        Assert.Contains($"Re-run:   socketcluster-conformance --endpoint {proxy.EndpointUri}", failed.Stdout);
    }
}
